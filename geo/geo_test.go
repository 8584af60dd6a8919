package geo

import (
	"os"
	"strings"
	"testing"
)

func TestCoarseCoversEveryRegion(t *testing.T) {
	tb := New()
	for pc := 1000; pc <= 9999; pc += 100 {
		if _, _, ok := tb.Centroid(pc); !ok {
			t.Errorf("no coarse centroid for %d", pc)
		}
	}
	if _, _, ok := tb.Centroid(999); ok {
		t.Error("999 is not a PC4")
	}
}

func TestDistanceAmsterdamRotterdam(t *testing.T) {
	tb := New()
	alat, alon, _ := tb.Centroid(1011)
	rlat, rlon, _ := tb.Centroid(3011)
	d := DistanceKm(Point{alat, alon}, Point{rlat, rlon})
	if d < 50 || d > 65 { // Amsterdam–Rotterdam is about 57 km as the crow flies
		t.Fatalf("Amsterdam–Rotterdam = %.1f km", d)
	}
}

func TestLoadGeoNamesFineWinsAndAveragesDuplicates(t *testing.T) {
	in := "NL\t9401\tAssen\tDrenthe\t01\tAssen Municipality\t0106\t\t\t53.0\t6.5\t6\n" +
		"NL\t9401\tLoon\tDrenthe\t01\tAssen Municipality\t0106\t\t\t53.2\t6.7\t6\n\n"
	tb := New()
	if err := tb.LoadGeoNames(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	lat, lon, ok := tb.Centroid(9401)
	if !ok || lat < 53.09 || lat > 53.11 || lon < 6.59 || lon > 6.61 {
		t.Fatalf("9401 = %v,%v,%v; want mean 53.1,6.6", lat, lon, ok)
	}
	if tb.Municipality(9401) != "0106" {
		t.Fatalf("municipality %q", tb.Municipality(9401))
	}
	if err := tb.LoadGeoNames(strings.NewReader("NL\t1234\tx\n")); err == nil {
		t.Fatal("short row accepted")
	}
}

func TestLoadRealGeoNames(t *testing.T) {
	const path = "../../shared/data/pc4/NL.txt"
	if _, err := os.Stat(path); err != nil {
		t.Skip("shared data absent: " + path)
	}
	tb := New()
	if err := tb.LoadGeoNamesFile(path); err != nil {
		t.Fatal(err)
	}
	if tb.Len() != 4086 {
		t.Fatalf("loaded %d distinct PC4, want 4086", tb.Len())
	}
	// The coarse table should be within 40 km of the fine centroid for most PC4s.
	far := 0
	for pc, p := range tb.fine {
		c := coarse[pc/100]
		if DistanceKm(p, c) > 40 {
			far++
		}
	}
	if far > tb.Len()/20 {
		t.Fatalf("%d of %d PC4s are > 40 km from their coarse region centroid", far, tb.Len())
	}
}
