// Package geo maps Dutch four-digit postcode areas (PC4) to centroids and
// measures distances between them. It ships a coarse table written by the
// werkmatch authors (one approximate centroid per two-digit postcode region)
// so that werkmatch runs without any data file, and loads the finer GeoNames
// postal-code file when one is given; the finer entry wins.
package geo

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Point is a WGS84 coordinate.
type Point struct{ Lat, Lon float64 }

// Table maps PC4 to centroids: fine entries from a loaded file, and the
// coarse built-in table by two-digit region as the fallback. It is
// read-only after construction and safe for concurrent use.
type Table struct {
	fine         map[int]Point
	municipality map[int]string
}

// New returns a table with only the built-in coarse regions.
func New() *Table { return &Table{fine: map[int]Point{}, municipality: map[int]string{}} }

// Centroid implements matcher.Locator.
func (t *Table) Centroid(pc4 int) (lat, lon float64, ok bool) {
	if p, ok := t.fine[pc4]; ok {
		return p.Lat, p.Lon, true
	}
	if pc4 < 1000 || pc4 > 9999 {
		return 0, 0, false
	}
	p, ok := coarse[pc4/100]
	return p.Lat, p.Lon, ok
}

// Municipality returns the CBS municipality code of a PC4 from the loaded
// file, or "" when unknown.
func (t *Table) Municipality(pc4 int) string { return t.municipality[pc4] }

// Len is the number of fine entries loaded.
func (t *Table) Len() int { return len(t.fine) }

// LoadGeoNamesFile reads a GeoNames postal-code file (tab-separated, no
// header: country, postal code, place, admin1 name, admin1 code, admin2
// name, admin2 code, admin3 name, admin3 code, latitude, longitude,
// accuracy) into the table. A PC4 that appears on several rows gets the
// mean of its rows.
func (t *Table) LoadGeoNamesFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return t.LoadGeoNames(f)
}

// LoadGeoNames reads GeoNames rows from r; see LoadGeoNamesFile.
func (t *Table) LoadGeoNames(r io.Reader) error {
	type acc struct {
		lat, lon float64
		n        int
	}
	sums := map[int]*acc{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 11 {
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			return fmt.Errorf("geonames line %d: %d columns, want at least 11", line, len(cols))
		}
		pc, err := strconv.Atoi(strings.TrimSpace(cols[1])[:min(4, len(strings.TrimSpace(cols[1])))])
		if err != nil || pc < 1000 || pc > 9999 {
			continue // not a Dutch PC4 (or a header): skip
		}
		lat, err1 := strconv.ParseFloat(cols[9], 64)
		lon, err2 := strconv.ParseFloat(cols[10], 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("geonames line %d: bad coordinates", line)
		}
		a := sums[pc]
		if a == nil {
			a = &acc{}
			sums[pc] = a
			if code := strings.TrimSpace(cols[6]); code != "" {
				t.municipality[pc] = code
			}
		}
		a.lat += lat
		a.lon += lon
		a.n++
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for pc, a := range sums {
		t.fine[pc] = Point{a.lat / float64(a.n), a.lon / float64(a.n)}
	}
	return nil
}

// DistanceKm is the great-circle (haversine) distance between two points.
func DistanceKm(a, b Point) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat := (b.Lat - a.Lat) * rad
	dlon := (b.Lon - a.Lon) * rad
	s := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(s))
}
