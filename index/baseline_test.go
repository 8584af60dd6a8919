package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/matcher"
)

// randomProfile draws a profile whose hard-filter fields vary widely.
func randomProfile(r *rand.Rand, i int) *matcher.Profile {
	pick := func(set []string) string { return set[r.IntN(len(set))] }
	hmin := 4 * r.IntN(9)
	var lic []string
	for _, l := range []string{"B", "C", "CE", "T"} {
		if r.IntN(3) == 0 {
			lic = append(lic, l)
		}
	}
	p := &matcher.Profile{
		ID: fmt.Sprintf("p%05d", i), Municipality: "0344",
		Postcode4:   1000 + 100*r.IntN(90) + r.IntN(100),
		MaxTravelKm: 5 + r.IntN(60), HoursMin: hmin, HoursMax: hmin + 4*r.IntN(4),
		DrivingLicences: lic, Perspectief: pick(matcher.Perspectieven),
		MaxPhysicalLoad: pick(append([]string{""}, matcher.PhysicalLoads...)),
		EducationLevel:  "mbo2", DutchLevel: "B1",
	}
	if r.IntN(2) == 0 {
		p.AvailableFrom = fmt.Sprintf("2026-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28))
	}
	return p
}

// looseHardFilter is HardFilterProfiles' documented condition in Go.
func looseHardFilter(loc matcher.Locator, v *matcher.Vacancy, p *matcher.Profile, km float64) bool {
	if p.Perspectief == matcher.PerspectiefMeedoen || distKm(loc, v.Postcode4, p.Postcode4) > km {
		return false
	}
	if p.HoursMin > v.HoursMax || p.HoursMax < v.HoursMin || !hasAll(p.DrivingLicences, v.DrivingLicences) {
		return false
	}
	if p.MaxPhysicalLoad != "" && matcher.LoadRank(p.MaxPhysicalLoad) < matcher.LoadRank(v.PhysicalLoad) {
		return false
	}
	return v.StartDate == "" || p.AvailableFrom == "" || p.AvailableFrom <= v.StartDate
}

func TestHardFilterProfilesMatchesPredicate(t *testing.T) {
	loc := geo.New()
	ix := openTest(t, Options{Locator: loc})
	ctx := context.Background()
	r := rand.New(rand.NewPCG(8, 9))
	ps := make([]*matcher.Profile, 3000)
	for i := range ps {
		ps[i] = randomProfile(r, i)
	}
	if err := ix.PutProfiles(ctx, ps); err != nil {
		t.Fatal(err)
	}
	vs := []*matcher.Vacancy{
		{ID: "v1", Postcode4: 3511, HoursMin: 16, HoursMax: 24},
		{ID: "v2", Postcode4: 1012, HoursMin: 32, HoursMax: 40, DrivingLicences: []string{"B", "C"}, PhysicalLoad: "heavy"},
		{ID: "v3", Postcode4: 9711, HoursMin: 8, HoursMax: 12, PhysicalLoad: "medium", StartDate: "2026-06-01"},
		{ID: "v4", Postcode4: 3011, HoursMin: 0, HoursMax: 40, DrivingLicences: []string{"T"}, StartDate: "2026-01-15"},
	}
	for _, v := range vs {
		for _, km := range []float64{10, 40, 80} {
			t.Run(fmt.Sprintf("%s/%vkm", v.ID, km), func(t *testing.T) {
				got, err := ix.HardFilterProfiles(ctx, v, km)
				if err != nil {
					t.Fatal(err)
				}
				slices.Sort(got)
				var want []string
				for _, p := range ps {
					d := distKm(loc, v.Postcode4, p.Postcode4)
					if math.Abs(d-km) < 0.5 {
						continue // Bleve's and geo's haversine may differ at the border
					}
					if looseHardFilter(loc, v, p, km) {
						want = append(want, p.ID)
					}
				}
				got = slices.DeleteFunc(got, func(id string) bool {
					var n int
					fmt.Sscanf(id, "p%05d", &n)
					return math.Abs(distKm(loc, v.Postcode4, ps[n].Postcode4)-km) < 0.5
				})
				if !slices.Equal(got, want) {
					t.Fatalf("got %d ids, want %d\n got %v\nwant %v", len(got), len(want), got, want)
				}
				if len(want) == 0 {
					t.Fatal("test corpus gives no hits: the comparison says nothing")
				}
			})
		}
	}
}

func TestHardFilterProfilesInvalid(t *testing.T) {
	ix := openTest(t, Options{})
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		v    *matcher.Vacancy
		km   float64
	}{
		{"nil vacancy", nil, 10},
		{"zero radius", &matcher.Vacancy{Postcode4: 3511, HoursMax: 8}, 0},
		{"unknown pc4", &matcher.Vacancy{Postcode4: 17, HoursMax: 8}, 10},
	} {
		if _, err := ix.HardFilterProfiles(ctx, tt.v, tt.km); !errors.Is(err, matcher.ErrInvalid) {
			t.Errorf("%s: err %v, want ErrInvalid", tt.name, err)
		}
	}
}
