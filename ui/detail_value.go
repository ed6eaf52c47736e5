package ui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/roster-tui/roster/ui/termtext"
)

// A list or object that does not fit on one line folds to one summary line
// when it takes more than foldLines lines, and an object also when it has
// more than foldKeys keys (e.g. Truto's remote_data, the CRM's raw record).
const (
	foldLines = 12
	foldKeys  = 6
)

// shownValue is one field's value as the detail view lays it out.
type shownValue struct {
	text     string // sanitised; may span lines
	foldable bool   // too long to show open by default
	summary  string // the folded line, when foldable
}

// showValue lays out a value for a column width wide: scalars and short
// lists on one line, lists and objects that do not fit pretty-printed on
// indented lines, and big ones folded unless open.
func showValue(raw any, width int, open bool) shownValue {
	switch v := raw.(type) {
	case map[string]any:
		return structured(raw, width, open, fmt.Sprintf("{…} %d %s", len(v), plural(len(v), "key", "keys")))
	case []any:
		if _, ok := stringList(v); !ok {
			return structured(raw, width, open, fmt.Sprintf("[…] %d %s", len(v), plural(len(v), "item", "items")))
		}
	}
	return shownValue{text: valueText(raw)}
}

func structured(raw any, width int, open bool, summary string) shownValue {
	one := valueText(raw)
	if termtext.Width(one) <= width {
		return shownValue{text: one}
	}
	pretty := itemLines(raw, width)
	lines := strings.Count(pretty, "\n") + 1
	m, isMap := raw.(map[string]any)
	if lines <= foldLines && (!isMap || len(m) <= foldKeys) {
		return shownValue{text: pretty}
	}
	sv := shownValue{foldable: true, summary: summary}
	if open {
		sv.text = pretty
	}
	return sv
}

// itemLines puts one list item or object key per line, each compact; an
// object in a list that does not fit goes one key per line under its dash.
// A line that still does not fit wraps (wrapLines).
func itemLines(raw any, width int) string {
	var lines []string
	switch v := raw.(type) {
	case []any:
		for _, e := range v {
			one := "- " + valueText(e)
			m, isMap := e.(map[string]any)
			if termtext.Width(one) <= width || !isMap || len(m) == 0 {
				lines = append(lines, one)
				continue
			}
			for i, l := range keyLines(m) {
				if i == 0 {
					lines = append(lines, "- "+l)
				} else {
					lines = append(lines, "  "+l)
				}
			}
		}
	case map[string]any:
		lines = keyLines(v)
	}
	return wrapLines(lines, width)
}

// wrapLines wraps each line that does not fit at width, its continuation
// lines indented under it, so a narrow terminal shows the same readable
// text as a wide one (it fell back to indented JSON: "[", "{", "\"email\":").
func wrapLines(lines []string, width int) string {
	var out []string
	for _, l := range lines {
		if termtext.Width(l) <= width || width < 8 {
			out = append(out, l)
			continue
		}
		for i, part := range strings.Split(ansi.Wrap(l, width-2, ""), "\n") {
			if i > 0 {
				part = "  " + part
			}
			out = append(out, part)
		}
	}
	return strings.Join(out, "\n")
}

// keyLines is "key: value" per key, in key order.
func keyLines(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, clean(k)+": "+valueText(m[k]))
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
