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
