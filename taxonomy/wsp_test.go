package taxonomy

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// wspQuery is one line of testdata/wsp_titles.tsv or wsp_skills.tsv.
type wspQuery struct {
	q, builtin, esco string
	batchB           bool
}

func readWSP(t *testing.T, name string) []wspQuery {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []wspQuery
	b := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "# batch B" {
			b = true
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("%s: %q", name, line)
		}
		out = append(out, wspQuery{f[0], f[1], f[2], b})
	}
	return out
}

// wspScore is what a taxonomy makes of the WSP queries.
type wspScore struct {
	hits, asked      int // first answer right, of the queries with an answer in the vocabulary
	hitsB, askedB    int // the same for batch B
	wrongAccepted    int // a wrong first answer the resolve rule accepts
	nonsenseAccepted int // a query that means no occupation, accepted
	rightNotAccepted int
	misses           []string
}

func (s wspScore) rate() float64  { return float64(s.hits) / float64(max(1, s.asked)) }
func (s wspScore) rateB() float64 { return float64(s.hitsB) / float64(max(1, s.askedB)) }

// scoreWSP asks search for every query; want picks the answers that count.
func scoreWSP(qs []wspQuery, search func(string, int) []Candidate, want func(wspQuery) []string) wspScore {
	var s wspScore
	for _, q := range qs {
		cs := search(q.q, 5)
		acc := len(cs) > 0 && accepts(cs[0].Confidence, func() float64 {
			if len(cs) > 1 {
				return cs[1].Confidence
			}
			return 0
		}())
		ws := want(q)
		if len(ws) == 1 && ws[0] == "-" {
			if acc {
				s.nonsenseAccepted++
				s.misses = append(s.misses, "accepted nonsense: "+q.q+" -> "+cs[0].Label)
			}
			continue
		}
		var alts []string
		for _, w := range ws {
			if w != "-MISSING" && w != "-" {
				alts = append(alts, strings.Split(w, "|")...)
			}
		}
		if len(alts) == 0 {
			continue
		}
		s.asked++
		if q.batchB {
			s.askedB++
		}
		ok := false
		if len(cs) > 0 {
			for _, a := range alts {
				if regexp.MustCompile("(?i)^(" + regexp.QuoteMeta(a) + ")$").MatchString(cs[0].Label) {
					ok = true
				}
			}
		}
		switch {
		case ok:
			s.hits++
			if q.batchB {
				s.hitsB++
			}
			if !acc {
				s.rightNotAccepted++
			}
		case acc:
			s.wrongAccepted++
			s.misses = append(s.misses, "ACCEPTED "+q.q+" -> "+cs[0].Label+" (want "+strings.Join(alts, "|")+")")
		default:
			top := "(none)"
			if len(cs) > 0 {
				top = cs[0].Label
			}
			s.misses = append(s.misses, q.q+" -> "+top+" (want "+strings.Join(alts, "|")+")")
		}
	}
	return s
}

// TestWSPQueries asks the titles and skills WSP users type (testdata,
// written for these tests) of the built-in vocabulary, of the ESCO
// export alone and of the export with the vocabulary laid over it
// (LoadESCOWithBuiltin, what serve uses).
func TestWSPQueries(t *testing.T) {
	titles, skills := readWSP(t, "wsp_titles.tsv"), readWSP(t, "wsp_skills.tsv")
	builtin := func(q wspQuery) []string { return []string{q.builtin} }
	esco := func(q wspQuery) []string { return []string{q.esco} }
	both := func(q wspQuery) []string { return []string{q.builtin, q.esco} }
	report := func(name string, s wspScore, floor float64) {
		t.Logf("%-32s top-1 %3d/%3d = %.3f (batch B %d/%d), wrong accepted %d, nonsense accepted %d, right not accepted %d",
			name, s.hits, s.asked, s.rate(), s.hitsB, s.askedB, s.wrongAccepted, s.nonsenseAccepted, s.rightNotAccepted)
		if testing.Verbose() {
			for _, m := range s.misses {
				t.Logf("    %s", m)
			}
		}
		if s.rate() < floor {
			t.Errorf("%s: top-1 %.3f below %.2f", name, s.rate(), floor)
		}
	}
	b := Builtin()
	bo, bs := scoreWSP(titles, b.SearchOccupations, builtin), scoreWSP(skills, b.SearchSkills, builtin)
	report("built-in, occupations", bo, 0.95)
	report("built-in, skills", bs, 0.95)
	if bo.nonsenseAccepted > 0 || bo.wrongAccepted > 2 {
		t.Errorf("built-in: %d nonsense and %d wrong answers accepted", bo.nonsenseAccepted, bo.wrongAccepted)
	}
	if _, err := os.Stat(filepath.Join(*escoDir, fileOccupations)); err != nil || raceDetector {
		t.Log("ESCO part skipped: no export, or -race")
		return
	}
	pure, err := LoadESCO(*escoDir)
	if err != nil {
		t.Fatal(err)
	}
	merged, err := LoadESCOWithBuiltin(*escoDir)
	if err != nil {
		t.Fatal(err)
	}
	po, mo := scoreWSP(titles, pure.SearchOccupations, esco), scoreWSP(titles, merged.SearchOccupations, both)
	ps, ms := scoreWSP(skills, pure.SearchSkills, esco), scoreWSP(skills, merged.SearchSkills, both)
	report("ESCO alone, occupations", po, 0)
	report("ESCO + built-in, occupations", mo, 0.95)
	report("ESCO alone, skills", ps, 0)
	report("ESCO + built-in, skills", ms, 0.95)
	if mo.rate() < po.rate()+0.1 || mo.wrongAccepted >= po.wrongAccepted || mo.nonsenseAccepted > 0 {
		t.Errorf("the vocabulary does not help ESCO enough: %.3f against %.3f, %d wrong accepted against %d, %d nonsense",
			mo.rate(), po.rate(), mo.wrongAccepted, po.wrongAccepted, mo.nonsenseAccepted)
	}
	// The vocabulary adds labels and never hides one: every alternative
	// label of the export is still one (callers and the full-text synonyms
	// read them).
	mocc := map[string]Occupation{}
	for _, o := range merged.Occupations() {
		mocc[o.URI] = o
	}
	lost := 0
	for _, o := range pure.Occupations() {
		for _, a := range o.AltLabels {
			if !slices.Contains(mocc[o.URI].AltLabels, a) {
				lost++
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d alternative labels of the export are gone after the merge", lost)
	}
	if ms.asked < 2*ps.asked {
		t.Errorf("the vocabulary adds too few skills: %d answerable against %d", ms.asked, ps.asked)
	}
}

// TestLoadESCOWithBuiltin: the vocabulary is laid over the fixture export.
// Its occupations have URIs the fixture lacks, so they are added; a
// built-in skill whose label is an ESCO skill's label is merged into it.
func TestLoadESCOWithBuiltin(t *testing.T) {
	pure, err := LoadESCO(filepath.Join("testdata", "esco"))
	if err != nil {
		t.Fatal(err)
	}
	tx, err := LoadESCOWithBuiltin(filepath.Join("testdata", "esco"))
	if err != nil {
		t.Fatal(err)
	}
	po, ps := pure.Stats()
	bo, bs := Builtin().Stats()
	o, s := tx.Stats()
	c := tx.ImportCounts()
	if o != po+bo || c["vocabulary_occupations_added"] != bo || c["vocabulary_occupations_merged"] != 0 {
		t.Errorf("occupations: %d (ESCO %d, built-in %d), counts %v", o, po, bo, c)
	}
	if s != ps+bs-c["vocabulary_skills_merged"] || c["vocabulary_skills_added"]+c["vocabulary_skills_merged"] != bs {
		t.Errorf("skills: %d (ESCO %d, built-in %d), counts %v", s, ps, bs, c)
	}
	// the fixture's own concepts and the vocabulary's both answer.
	if cs := tx.SearchOccupations("heftruckchauffeur", 3); len(cs) == 0 || cs[0].URI != escoOcc+"test-0001" {
		t.Errorf("heftruckchauffeur: %v", cs)
	}
	if cs := tx.SearchOccupations("orderpickster", 1); len(cs) == 0 || cs[0].Label != "orderpicker" {
		t.Errorf("orderpickster: %v", cs)
	}
	// Builtin itself is not changed by the merge.
	if o2, s2 := Builtin().Stats(); o2 != bo || s2 != bs {
		t.Errorf("Builtin changed: %d %d", o2, s2)
	}
}
