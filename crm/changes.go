package crm

import "context"

// DropUnchanged returns the changes whose value differs from u's, compared
// field by field with Field.Equal (an enum in another case, "yes" for true,
// or clearing an empty field changes nothing). Keys the schema lacks are
// compared as text.
func DropUnchanged(schema Schema, u User, changes Changes) Changes {
	send := Changes{}
	for _, k := range changes.Keys() {
		f, ok := schema.Field(k)
		if !ok {
			f = Field{Key: k, Type: TypeText}
		}
		if !f.Equal(u.Value(k), changes[k]) {
			send[k] = changes[k]
		}
	}
	return send
}

// UpdateChanged is an update that changes nothing sends nothing: it reads
// the user, drops the changes equal to what the provider holds, and writes
// only when something is left, passing the read on (WithBase) so the
// adapter and the audit need not read again. changed is false, and u the
// user as read, when there was nothing to write: no request, no audit line.
func UpdateChanged(ctx context.Context, p Provider, id string, changes Changes) (u User, changed bool, err error) {
	current, err := p.Get(ctx, id)
	if err != nil {
		return User{}, false, err
	}
	send := DropUnchanged(p.Schema(), current, changes)
	if len(send) == 0 {
		return current, false, nil
	}
	u, err = p.Update(WithBase(ctx, current), id, send)
	return u, err == nil, err
}
