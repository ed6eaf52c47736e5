package crm

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// Issue 12 item 5: one parser for the form and the CLI.
func TestFieldParse(t *testing.T) {
	boolF := Field{Key: "active", Label: "Active", Type: TypeBool}
	enumF := Field{Key: "status", Label: "Status", Type: TypeEnum, Values: []string{"Active", "Inactive"}}
	textF := Field{Key: "title", Label: "Title", Type: TypeText}
	reqF := Field{Key: "email", Label: "Email", Type: TypeEmail, Required: true}
	listF := Field{Key: "tags", Label: "Tags", Type: TypeList}
	dateF := Field{Key: "born", Label: "Born", Type: TypeDate}
	cases := []struct {
		f    Field
		in   string
		want any
		err  bool
	}{
		{boolF, "true", true, false}, {boolF, "YES", true, false}, {boolF, "1", true, false},
		{boolF, "false", false, false}, {boolF, "no", false, false}, {boolF, " 0 ", false, false},
		{boolF, "maybe", nil, true}, {boolF, "", nil, true},
		{enumF, "inactive", "Inactive", false}, {enumF, "ACTIVE", "Active", false}, {enumF, "sleeping", nil, true},
		{enumF, "", nil, false},
		{textF, "  Chief Tester ", "Chief Tester", false},
		{textF, "", nil, false}, // cleared: null on the wire, from the CLI and the form alike
		{reqF, "", nil, true}, {reqF, "ada@example.com", "ada@example.com", false}, {reqF, "Ada <ada@example.com>", nil, true},
		{listF, "a, b,,c ", []string{"a", "b", "c"}, false}, {listF, "", []string{}, false},
		{dateF, "2024-05-01", "2024-05-01", false}, {dateF, "1/5/2024", nil, true},
		{Field{Type: TypeObject}, "x", nil, true},
	}
	for _, c := range cases {
		got, err := c.f.Parse(c.in)
		if (err != nil) != c.err || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s.Parse(%q) = %#v, %v; want %#v, err %v", c.f.Type, c.in, got, err, c.want, c.err)
		}
	}
	if _, err := reqF.Parse(" "); !errors.Is(err, ErrRequired) {
		t.Errorf("required empty: %v, want ErrRequired", err)
	}
}

func TestFieldValidate(t *testing.T) {
	enumF := Field{Type: TypeEnum, Values: []string{"active", "inactive"}}
	if err := enumF.Validate("active"); err != nil {
		t.Error(err)
	}
	if err := enumF.Validate("gone"); err == nil {
		t.Error("enum accepted gone")
	}
	if err := (Field{Type: TypeBool}).Validate("yes"); err == nil {
		t.Error("bool accepted a string")
	}
	if err := (Field{Type: TypeText, Required: true}).Validate(nil); !errors.Is(err, ErrRequired) {
		t.Errorf("required nil: %v", err)
	}
}

// Issue 12 item 4 rests on this comparison.
func TestFieldEqual(t *testing.T) {
	cases := []struct {
		f    Field
		a, b any
		want bool
	}{
		{Field{Type: TypeText}, "Chief Tester", "Chief Tester", true},
		{Field{Type: TypeText}, "Chief Tester", "Chief tester", false},
		{Field{Type: TypeText}, nil, "", true},
		{Field{Type: TypeEnum}, "Active", "active", true},
		{Field{Type: TypeBool}, true, "true", true},
		{Field{Type: TypeBool}, false, true, false},
		{Field{Type: TypeList}, []string{"a", "b"}, []any{"a", "b"}, true},
		{Field{Type: TypeList}, []string{}, nil, true},
		{Field{Type: TypeList}, []string{"a"}, []any{"a", "b"}, false},
		{Field{Type: TypeNumber}, "1.0", json.Number("1"), true},
	}
	for _, c := range cases {
		if got := c.f.Equal(c.a, c.b); got != c.want {
			t.Errorf("%s Equal(%#v, %#v) = %v", c.f.Type, c.a, c.b, got)
		}
	}
}

// Issue 12 item 23: nested values read as text, not JSON.
func TestFormatNested(t *testing.T) {
	cases := []struct {
		in   string
		want string
	}{
		{`{"name":"CEO","id":"4150868000000026005"}`, "CEO"},
		{`[{"_id":"r1","name":"Admin"},{"_id":"r2","name":"Billing"}]`, "Admin; Billing"},
		{`[{"id":"p1","number":"+1 555 0100","type":"mobile"}]`, "+1 555 0100 (mobile)"},
		{`[{"id":"a1","type":"work","city":"Berlin","country":"DE"}]`, "Berlin, DE (work)"},
		{`[{"type":"email","value":"ada@example.com"}]`, "email: ada@example.com"},
		{`["a","b"]`, "a, b"},
		{`true`, "yes"},
		{`12.5`, "12.5"},
		{`{"id":"x"}`, "id x"},
		{`{"b":1,"a":{"name":"n"}}`, "a: (n), b: 1"},
	}
	for _, c := range cases {
		var v any
		d := json.NewDecoder(stringsReader(c.in))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if got := Format(v); got != c.want {
			t.Errorf("Format(%s) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := DescribeChange(nil, "Chief Tester"); got != "(empty) → Chief Tester" {
		t.Errorf("DescribeChange = %q", got)
	}
}

func TestStatusWord(t *testing.T) {
	yes, no := true, false
	for _, c := range []struct {
		u    User
		want string
	}{{User{Status: "ACTIVE"}, "ACTIVE"}, {User{Active: &yes}, "active"}, {User{Active: &no}, "inactive"}, {User{}, ""}} {
		if got := StatusWord(c.u); got != c.want {
			t.Errorf("StatusWord(%+v) = %q", c.u, got)
		}
	}
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

// Issue 12 item 4: fields equal to the current value are dropped.
func TestDropUnchanged(t *testing.T) {
	schema := Schema{Fields: []Field{
		{Key: "title", Type: TypeText}, {Key: "status", Type: TypeEnum, Values: []string{"active", "inactive"}},
		{Key: "admin", Type: TypeBool}, {Key: "tags", Type: TypeList},
	}}
	u := User{ID: "1", Raw: json.RawMessage(`{"title":"Chief Tester","status":"active","admin":true,"tags":["a","b"],"dept":""}`)}
	got := DropUnchanged(schema, u, Changes{"title": "Chief Tester", "status": "active", "admin": true, "tags": []string{"a", "b"}, "dept": nil})
	if len(got) != 0 {
		t.Errorf("unchanged values kept: %v", got)
	}
	got = DropUnchanged(schema, u, Changes{"title": "Chief", "admin": false, "tags": []string{"a"}})
	if len(got) != 3 {
		t.Errorf("changes dropped: %v", got)
	}
}
