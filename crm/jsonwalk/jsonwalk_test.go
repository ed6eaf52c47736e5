package jsonwalk

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

type item struct {
	ID string `json:"id"`
}

func walk(t *testing.T, body string) ([]string, []string, error) {
	t.Helper()
	b := []byte(body)
	dec := json.NewDecoder(strings.NewReader(body))
	var ids, raws []string
	err := Array(dec, b, func(i int, v *item, raw []byte) error {
		ids = append(ids, v.ID)
		raws = append(raws, string(raw))
		if len(raw) != cap(raw) {
			t.Errorf("element %d: raw has spare capacity %d: appending would write into the next", i, cap(raw)-len(raw))
		}
		return nil
	})
	return ids, raws, err
}

func TestArrayHandsEachObjectWithItsOwnBytes(t *testing.T) {
	ids, raws, err := walk(t, `[ {"id":"1","x":[1,2]} ,
	{"id":"2"}]`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "1,2" || raws[0] != `{"id":"1","x":[1,2]}` || raws[1] != `{"id":"2"}` {
		t.Fatalf("ids %q raws %q", ids, raws)
	}
}

func TestArrayNullIsEmpty(t *testing.T) {
	if ids, _, err := walk(t, `null`); err != nil || len(ids) != 0 {
		t.Fatalf("null: ids %v err %v", ids, err)
	}
}

func TestArrayRefusesNonObjectsAndNonArrays(t *testing.T) {
	for _, body := range []string{`[{"id":"1"}, null]`, `[{"id":"1"}, "x"]`, `[{"id":1}]`} {
		_, _, err := walk(t, body)
		var ee *ElementError
		if !errors.As(err, &ee) {
			t.Errorf("%s: err = %v, want an ElementError", body, err)
		}
	}
	if _, _, err := walk(t, `{"id":"1"}`); err == nil {
		t.Errorf("an object instead of an array was accepted")
	}
}

func TestObjectHandsKnownKeysAndSkipsTheRest(t *testing.T) {
	body := `{"Data":[{"id":"7"}],"meta":{"next":"c2"},"other":[1,{"a":2}]}`
	dec := json.NewDecoder(strings.NewReader(body))
	var next struct{ Next string }
	var n int
	err := Object(dec, func(key string) (bool, error) {
		switch {
		case strings.EqualFold(key, "data"):
			return true, Array(dec, []byte(body), func(int, *item, []byte) error { n++; return nil })
		case key == "meta":
			return true, dec.Decode(&next)
		}
		return false, nil
	})
	if err != nil || n != 1 || next.Next != "c2" {
		t.Fatalf("err %v, users %d, next %q", err, n, next.Next)
	}
	for _, bad := range []string{`[]`, `{"a":1} {}`, `{"a":`} {
		if err := Object(json.NewDecoder(strings.NewReader(bad)), func(string) (bool, error) { return false, nil }); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

// PlainString takes a string as it stands only when that is what it means;
// escapes and non-strings are left to encoding/json.
func TestPlainString(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		ok   bool
	}{
		{`"Ana Sousa"`, "Ana Sousa", true},
		{`"José"`, "José", true},
		{`""`, "", true},
		{`"a\"b"`, "", false},
		{`"caf\u00e9"`, "", false},
		{"\"tab\there\"", "", false},
		{"\"\xff\"", "", false},
		{`42`, "", false},
		{`null`, "", false},
		{`"`, "", false},
	} {
		got, ok := PlainString([]byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("PlainString(%s) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
