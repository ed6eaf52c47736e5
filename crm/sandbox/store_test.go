package sandbox

import (
	"math/rand/v2"
	"testing"
)

// Paging without a filter takes a shortcut past deletions (it never
// generates the records it skips); a filter that keeps everything takes the
// record-by-record walk. Both must find the same page starts, or a page
// would repeat or lose users after a delete.
func TestSkipAndBackWithoutFilterMatchTheWalk(t *testing.T) {
	everyone := func(int) bool { return true }
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		s := NewStore(300, func(i int) int { return i })
		for range rng.IntN(120) {
			s.Delete(rng.IntN(300))
		}
		if rng.IntN(2) == 0 { // created records sit after the generated ones
			for range rng.IntN(10) {
				s.Create(func(i int) int { return i })
			}
		}
		for range 200 {
			from, n := rng.IntN(330), rng.IntN(60)
			if got, want := s.Skip(from, n, nil), s.Skip(from, n, everyone); got != want {
				t.Fatalf("seed %d: Skip(%d, %d) = %d without a filter, %d walking", seed, from, n, got, want)
			}
			gotAt, gotOK := s.Back(from, n, nil)
			wantAt, wantOK := s.Back(from, n, everyone)
			if gotAt != wantAt || gotOK != wantOK {
				t.Fatalf("seed %d: Back(%d, %d) = %d, %v without a filter, %d, %v walking", seed, from, n, gotAt, gotOK, wantAt, wantOK)
			}
		}
	}
}

// Page k starts where k-1 pages of Scan would have left off.
func TestSkipStartsWherePagesOfScanEnd(t *testing.T) {
	s := NewStore(1000, func(i int) int { return i })
	for _, i := range []int{0, 3, 4, 5, 199, 200, 201, 640, 999} {
		s.Delete(i)
	}
	for _, keep := range []func(int) bool{nil, func(v int) bool { return v%3 != 0 }} {
		_, from := s.Scan(0, 50, keep)
		for page := 2; ; page++ { // up to the first page past the end (-1)
			if got := s.Skip(0, (page-1)*50, keep); got != from {
				t.Fatalf("page %d: Skip says it starts at %d, paging with Scan reached %d", page, got, from)
			}
			if from < 0 {
				break
			}
			_, from = s.Scan(from, 50, keep)
		}
	}
}
