package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"github.com/roster-tui/roster/crm"
)

// escapeInvisibleByRune is escapeInvisible as it was before its ASCII fast
// path: every rune decoded and written on its own.
func escapeInvisibleByRune(data []byte) []byte {
	var b bytes.Buffer
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidi(r) {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.Write(data[:n])
		}
		data = data[n:]
	}
	return b.Bytes()
}

func TestEscapeInvisibleMatchesRuneByRune(t *testing.T) {
	inputs := []string{"", "plain", `{"a":"b"}`, "\x7f", "\u0085x", "a\u202eb", "é\u2066ü", "\xff\xfe", "tail\xc2", "東京\u200f", "\u061c"}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "{", "\"", "\x7f", "\u0085", "\u202e", "é", "東", "\xff", "\xc2", "\u2069", " "}
	for range 2000 {
		var b bytes.Buffer
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		if got, want := escapeInvisible([]byte(in)), escapeInvisibleByRune([]byte(in)); !bytes.Equal(got, want) {
			t.Errorf("escapeInvisible(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestJSONLinesAreWhatJSONMarshalGives: --format jsonl writes a whole user
// through its MarshalJSON without json.Marshal's second check and compact;
// each line must still be json.Marshal's bytes (HTML and U+2028 escaped,
// the provider's object compacted, what is not JSON left out), made safe
// for a terminal, one line per user.
func TestJSONLinesAreWhatJSONMarshalGives(t *testing.T) {
	raws := []string{
		"",
		`{"id":"1","name":"Ada"}`,
		"{\n  \"id\": \"2\",\n  \"note\": \"a\\nb\"\n}",
		`{"html":"<b>Tom & Jerry</b>"}`,
		"{\"sep\":\"a\u2028b\u2029c\"}",
		"{\"bidi\":\"x\u202ey\",\"c1\":\"\u0085\",\"del\":\"\x7f\"}",
		`{"broken":`,
		`[1, 2 ,3]`,
		`"just a string"`,
	}
	var users []crm.User
	for i, raw := range raws {
		users = append(users, crm.User{ID: fmt.Sprint(i), FirstName: "Zoë <i>", LastName: "O'Brien & \u202eCo",
			Email: "zoe@example.com", Title: "x\u2028y", Raw: json.RawMessage(raw)})
	}
	for _, u := range users {
		var out bytes.Buffer
		s := &jsonSink{bw: bufio.NewWriter(&out)}
		if err := s.Write([]crm.User{u}); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		want := string(escapeInvisibleByRune(data)) + "\n"
		if out.String() != want {
			t.Errorf("raw %q:\n got %s\nwant %s", u.Raw, out.String(), want)
		}
		if !json.Valid(bytes.TrimSpace(out.Bytes())) || bytes.Count(out.Bytes(), []byte("\n")) != 1 {
			t.Errorf("raw %q: not one JSON line: %q", u.Raw, out.String())
		}
	}
}
