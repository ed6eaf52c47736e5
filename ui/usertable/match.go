package usertable

import (
	"bytes"
	"github.com/roster-tui/roster/crm/match"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// A query is folded and split into terms; a row matches when its key
// contains every term. Because terms are substrings, a query whose canonical
// form extends another's (more letters, or more terms) can only match a
// subset of the rows the shorter one matched: that is what lets a longer
// query refine the previous result instead of rescanning everything.

type query struct {
	canon string   // folded terms joined by one space
	terms [][]byte // folded terms, longest first (most selective first)
}

func parseQuery(q string) query {
	fields := match.Terms(q)
	terms := make([][]byte, len(fields))
	for i, f := range fields {
		terms[i] = []byte(f)
	}
	// longest first: the arena scan looks for terms[0], the rest are checks
	for i := 1; i < len(terms); i++ {
		for j := i; j > 0 && len(terms[j]) > len(terms[j-1]); j-- {
			terms[j], terms[j-1] = terms[j-1], terms[j]
		}
	}
	return query{canon: strings.Join(fields, " "), terms: terms}
}

// refines reports whether every row matching q also matches base.
func (q query) refines(base string) bool { return strings.HasPrefix(q.canon, base) }

// matchKey is crm/match's rule: the key holds every term.
func matchKey(key []byte, terms [][]byte) bool { return match.ContainsAll(key, terms) }

// parallelMin is the amount of work (rows) below which one goroutine is
// faster than splitting.
const parallelMin = 32 * 1024

// matchAll returns the rows of ks whose key matches, in row order. Removed
// rows have empty keys and never match.
func matchAll(ks keyStore, terms [][]byte, stop *atomic.Bool) []int32 {
	parts := splitEven(len(ks), len(ks)*chunkSize/parallelMin)
	return gather(parts, func(lo, hi int, out []int32) []int32 {
		for c := lo; c < hi; c++ {
			if stop != nil && stop.Load() {
				return out
			}
			out = scanChunk(ks[c], int32(c)<<chunkBits, terms, out)
		}
		return out
	})
}

// scanChunk finds terms[0] across the chunk's arena and checks the other
// terms only in the rows where it occurs.
func scanChunk(c *keyChunk, base int32, terms [][]byte, out []int32) []int32 {
	t0, rest := terms[0], terms[1:]
	arena, off := c.arena, c.off
	pos, j := 0, 0
	for {
		k := bytes.Index(arena[pos:], t0)
		if k < 0 {
			return out
		}
		p := uint32(pos + k)
		for off[j+1] <= p {
			j++
		}
		if len(rest) == 0 || matchKey(arena[off[j]:off[j+1]], rest) {
			out = append(out, base+int32(j))
		}
		pos = int(off[j+1])
	}
}

// matchSubset returns the rows of cand whose key matches, in order. The
// parts write into one buffer the size of cand (a result is never larger),
// so matching allocates once and never grows a slice.
func matchSubset(ks keyStore, cand []int32, terms [][]byte, stop *atomic.Bool) []int32 {
	buf := make([]int32, len(cand))
	parts := splitEven(len(cand), len(cand)/parallelMin)
	counts := make([]int, len(parts))
	var wg sync.WaitGroup
	for p, part := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := buf[part[0]:part[0]]
			for x, i := range cand[part[0]:part[1]] {
				if x&4095 == 0 && stop != nil && stop.Load() {
					break
				}
				if matchKey(ks.key(i), terms) {
					out = append(out, i)
				}
			}
			counts[p] = len(out)
		}()
	}
	wg.Wait()
	n := 0
	for p, part := range parts {
		n += copy(buf[n:], buf[part[0]:part[0]+counts[p]])
	}
	if n < len(buf)/2 {
		return append([]int32(nil), buf[:n]...) // don't keep a mostly empty buffer cached
	}
	return buf[:n:n]
}

// splitEven cuts [0,n) into at most want parts (bounded by the CPUs).
func splitEven(n, want int) [][2]int {
	p := min(max(want, 1), runtime.GOMAXPROCS(0), n)
	if p <= 1 {
		return [][2]int{{0, n}}
	}
	parts := make([][2]int, p)
	for i := range parts {
		parts[i] = [2]int{n * i / p, n * (i + 1) / p}
	}
	return parts
}

// gather runs work on every part (in parallel when there are several) and
// concatenates the results in part order.
func gather(parts [][2]int, work func(lo, hi int, out []int32) []int32) []int32 {
	if len(parts) == 1 {
		return work(parts[0][0], parts[0][1], nil)
	}
	outs := make([][]int32, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i] = work(p[0], p[1], nil)
		}()
	}
	wg.Wait()
	n := 0
	for _, o := range outs {
		n += len(o)
	}
	all := make([]int32, 0, n)
	for _, o := range outs {
		all = append(all, o...)
	}
	return all
}
