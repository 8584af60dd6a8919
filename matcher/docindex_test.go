package matcher

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// The id index agrees with a Go map through random adds and removes,
// including the backward shifts, resizes and arena compactions.
func TestDocIndexAgainstMap(t *testing.T) {
	old := minIDGarbage
	minIDGarbage = 4096
	defer func() { minIDGarbage = old }()
	x := newDocIndex()
	compactions := 0
	ref := map[string]uint32{}
	r := rand.New(rand.NewPCG(3, 4))
	for step := range 300000 {
		id := "id-" + strconv.Itoa(r.IntN(4000)) + "-" + strconv.Itoa(r.IntN(3))
		if d, ok := ref[id]; ok && r.IntN(2) == 0 {
			got, ok2 := x.remove(id)
			if !ok2 || got != d {
				t.Fatalf("step %d: remove %s = %d %v, want %d", step, id, got, ok2, d)
			}
			delete(ref, id)
			if x.garbage == 0 {
				compactions++
			}
		} else if !ok {
			ref[id] = x.add(id)
		}
		if step%50000 == 0 || step == 299999 {
			if x.n != len(ref) {
				t.Fatalf("n %d, want %d", x.n, len(ref))
			}
			seen := map[uint32]bool{}
			for id, d := range ref {
				got, ok := x.get(id)
				if !ok || got != d || string(x.idOf(d)) != id || seen[d] {
					t.Fatalf("get %s = %d %v, want %d", id, got, ok, d)
				}
				seen[d] = true
			}
			if step == 299999 && compactions == 0 {
				t.Fatal("the id arena was never compacted")
			}
			if _, ok := x.get("absent"); ok {
				t.Fatal("absent id found")
			}
		}
	}
}
