// Package jsonwalk reads the arrays of users in providers' list answers in
// one pass: each element is decoded once, and its own bytes of the body are
// kept (as crm.User.Raw) without a copy.
package jsonwalk

import (
	"bytes"
	"encoding/json"
	"fmt"
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
