// Package jsonwalk reads providers' list answers in one pass: the envelope
// key by key, and the array of users in it element by element, each decoded
// once, with its own bytes of the body kept (as crm.User.Raw) without a copy.
package jsonwalk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/roster-tui/roster/crm"
)

// ElementError is a failure to decode one element of an array.
type ElementError struct {
	Index int
	Raw   []byte // the element's bytes, as far as they could be read
	Err   error
}

func (e *ElementError) Error() string { return fmt.Sprintf("element %d: %v", e.Index, e.Err) }
func (e *ElementError) Unwrap() error { return e.Err }

// errNotObject marks an element that decoded but is not a JSON object.
var errNotObject = fmt.Errorf("not an object")

// Array reads the JSON array at dec's position; dec must read body, so its
// offsets locate each element in body. Every element must be an object; it
// is decoded into a fresh T and handed to use with its own bytes of body,
// capped so that appending to them cannot write into the next element. A
// null array calls use never. It returns after the closing bracket.
func Array[T any](dec *json.Decoder, body []byte, use func(i int, v *T, raw []byte) error) error {
	tok, err := dec.Token()
	if err != nil || tok == nil {
		return err
	}
	if tok != json.Delim('[') {
		return fmt.Errorf("%v is not an array", tok)
	}
	var v T // one for the array: Decode's target escapes to the heap
	var zero T
	for i := 0; dec.More(); i++ {
		start := dec.InputOffset() // before the comma and space, trimmed below
		v = zero
		err := dec.Decode(&v)
		raw := bytes.TrimSpace(bytes.TrimLeft(body[start:dec.InputOffset()], " \t\r\n,"))
		raw = raw[:len(raw):len(raw)]
		if err == nil && (len(raw) == 0 || raw[0] != '{') {
			err = errNotObject
		}
		if err != nil {
			return &ElementError{Index: i, Raw: raw, Err: err}
		}
		if err := use(i, &v, raw); err != nil {
			return err
		}
	}
	_, err = dec.Token() // the closing bracket
	return err
}

// Users reads the array of user objects at dec's position (none for null)
// and turns each into a crm.User with convert, which gets the element's own
// bytes of body for User.Raw.
func Users[T any](dec *json.Decoder, body []byte, convert func(w *T, raw []byte) (crm.User, error)) ([]crm.User, error) {
	users := []crm.User{}
	err := Array(dec, body, func(i int, w *T, raw []byte) error {
		u, err := convert(w, raw)
		if err != nil {
			return fmt.Errorf("user %d: %w", i, err)
		}
		users = append(users, u)
		return nil
	})
	return users, err
}

// Object reads a whole answer that is one JSON object, key by key: field
// decodes the value of a key it knows from dec and returns true, or returns
// false to have it skipped. Nothing may follow the object. Callers match
// keys case-insensitively (strings.EqualFold), as encoding/json does.
func Object(dec *json.Decoder, field func(key string) (bool, error)) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("the answer is %v, not an object", tok)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		handled, err := field(key)
		if err != nil {
			return err
		}
		if !handled {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the answer")
	}
	return nil
}

// PlainString returns the string a JSON value b means when b is a string
// literal that means itself (no escapes, no control characters, valid
// UTF-8), the common case, so decoders can take it without running
// encoding/json again; ok is false for anything else.
func PlainString(b []byte) (s string, ok bool) {
	n := len(b)
	if n < 2 || b[0] != '"' || b[n-1] != '"' {
		return "", false
	}
	inner := b[1 : n-1]
	for _, c := range inner {
		if c == '\\' || c == '"' || c < 0x20 {
			return "", false
		}
	}
	if !utf8.Valid(inner) {
		return "", false
	}
	return string(inner), true
}
