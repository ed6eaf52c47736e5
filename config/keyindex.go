package config

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// keyIndex records where every key of the document is written, so that
// validation errors found after decoding can still point at a line and
// column. Paths through arrays of tables carry the element index
// (ssh, users, elem(0), name).
type keyIndex struct {
	pos   map[string]position
	paths [][]string // in document order, first appearance
	// children maps a table's path to the keys directly below it, in
	// document order, so under is linear in the answer, not in the file
	// (once per provider, that was quadratic in the providers).
	children map[string][]string
	// values holds where each value is written and its TOML type, for
	// messages about a value of the wrong type found after decoding.
	values map[string]typedValue
	// lineStarts are the byte offsets where lines begin: go-toml's Shape
	// scans from the start of the document for every position, which made
	// indexing quadratic in the file's size.
	lineStarts []int
}

// position turns a byte offset into a 1-based line and byte column, as
// go-toml's Shape does.
func (x *keyIndex) position(offset uint32) position {
	o := int(offset)
	line := sort.Search(len(x.lineStarts), func(i int) bool { return x.lineStarts[i] > o })
	return position{line: line, col: o - x.lineStarts[line-1] + 1}
}

type typedValue struct {
	pos  position
	kind string // "a string", "an integer", "a float", "a boolean", "a date-time", "an array", "a table"
}

type position struct{ line, col int }

// pathKey joins a key path with a separator that cannot occur in a TOML key
// the decoder accepted as a struct field or a provider name we allow.
func pathKey(parts ...string) string { return strings.Join(parts, "\x00") }

// elem is the path part of an array element; the marker keeps it apart
// from a key that happens to be a number.
func elem(i int) string { return "\x01" + strconv.Itoa(i) }

func isElem(part string) bool { return strings.HasPrefix(part, "\x01") }

// at returns where a key is written.
func (x *keyIndex) at(parts ...string) (position, bool) {
	p, ok := x.pos[pathKey(parts...)]
	return p, ok
}

// under returns the keys directly below a table path, in document order.
func (x *keyIndex) under(parts ...string) []string {
	return slices.Clone(x.children[pathKey(parts...)])
}

// keyAt returns the full path of the key written at pos whose last part is
// that of key; go-toml drops the enclosing table from keys inside inline
// tables, so its own path is only the fallback.
func (x *keyIndex) keyAt(pos position, key []string) []string {
	if x == nil || len(key) == 0 {
		return key
	}
	for _, p := range x.paths {
		if p[len(p)-1] == key[len(key)-1] && x.pos[pathKey(p...)] == pos {
			// Array elements are counted in our paths, not in the file's.
			return slices.DeleteFunc(slices.Clone(p), isElem)
		}
	}
	return key
}

// providerOrder is the provider names in the order the file declares them.
func (x *keyIndex) providerOrder() []string { return x.under("providers") }

func (x *keyIndex) add(parts []string, pos position) {
	// Record every prefix too: `providers.sales.kind = …` declares
	// providers.sales as much as a [providers.sales] header does.
	for i := 1; i <= len(parts); i++ {
		k := pathKey(parts[:i]...)
		if _, seen := x.pos[k]; seen {
			continue
		}
		x.pos[k] = pos
		x.paths = append(x.paths, append([]string(nil), parts[:i]...))
		parent := pathKey(parts[:i-1]...)
		x.children[parent] = append(x.children[parent], parts[i-1])
	}
}

// indexKeys walks the document with go-toml's parser and records the
// position of every key. A syntax error comes back as a *toml.DecodeError.
func indexKeys(data []byte) (*keyIndex, error) {
	x := &keyIndex{pos: map[string]position{}, children: map[string][]string{}, values: map[string]typedValue{}}
	x.lineStarts = append(x.lineStarts, 0)
	for i, c := range data {
		if c == '\n' {
			x.lineStarts = append(x.lineStarts, i+1)
		}
	}
	var p unstable.Parser
	p.Reset(data)
	var table []string         // the current [table] or [[array]] path
	arrays := map[string]int{} // array-of-tables path → elements so far
	resolve := func(parts []string) []string {
		// Insert the current element index after each array-of-tables
		// segment, so [ssh.users.x] under [[ssh.users]] lands on the
		// last element.
		var out []string
		for _, part := range parts {
			out = append(out, part)
			if n, ok := arrays[pathKey(out...)]; ok {
				out = append(out, elem(n-1))
			}
		}
		return out
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			parts, pos := x.keyOf(e.Key())
			table = resolve(parts)
			x.add(table, pos)
		case unstable.ArrayTable:
			parts, pos := x.keyOf(e.Key())
			base := resolve(parts[:len(parts)-1])
			base = append(base, parts[len(parts)-1])
			k := pathKey(base...)
			arrays[k]++
			table = append(base, elem(arrays[k]-1))
			x.add(table, pos)
		case unstable.KeyValue:
			x.addKeyValue(&p, table, e)
		}
	}
	if err := p.Error(); err != nil {
		// go-toml's own decoder turns the same syntax error into a
		// positioned DecodeError.
		if derr := toml.Unmarshal(data, &struct{}{}); derr != nil {
			return nil, derr
		}
		return nil, err
	}
	return x, nil
}

// addKeyValue records a key = value and, for inline tables and arrays of
// them, the keys inside.
func (x *keyIndex) addKeyValue(p *unstable.Parser, table []string, kv *unstable.Node) {
	parts, pos := x.keyOf(kv.Key())
	full := append(append([]string(nil), table...), parts...)
	x.add(full, pos)
	v := kv.Value()
	if kind := valueKind(v.Kind); kind != "" {
		at := pos // an array or inline table: where its key is
		if v.Kind != unstable.Array && v.Kind != unstable.InlineTable {
			at = x.position(v.Raw.Offset)
		}
		x.values[pathKey(full...)] = typedValue{pos: at, kind: kind}
	}
	x.addValue(p, full, v)
}

// valueKind names the TOML type of a value, as messages say it.
func valueKind(k unstable.Kind) string {
	switch k {
	case unstable.String:
		return "a string"
	case unstable.Array:
		return "an array"
	case unstable.InlineTable:
		return "a table"
	case unstable.Integer:
		return "an integer"
	case unstable.Float:
		return "a float"
	case unstable.Bool:
		return "a boolean"
	case unstable.DateTime, unstable.LocalDate, unstable.LocalDateTime, unstable.LocalTime:
		return "a date-time"
	}
	return ""
}

func (x *keyIndex) addValue(p *unstable.Parser, path []string, v *unstable.Node) {
	switch v.Kind {
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			x.addKeyValue(p, path, it.Node())
		}
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); i++ {
			el := append(append([]string(nil), path...), elem(i))
			if n := it.Node(); n.Kind == unstable.InlineTable {
				x.add(el, x.pos[pathKey(path...)])
				x.addValue(p, el, n)
			}
		}
	}
}

// keyOf reads a (possibly dotted) key and where its first part is written.
func (x *keyIndex) keyOf(it unstable.Iterator) ([]string, position) {
	var parts []string
	var pos position
	for it.Next() {
		n := it.Node()
		if len(parts) == 0 {
			pos = x.position(n.Raw.Offset)
		}
		parts = append(parts, string(n.Data))
	}
	return parts, pos
}
