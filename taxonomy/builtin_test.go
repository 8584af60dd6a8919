package taxonomy

import (
	"slices"
	"strings"
	"testing"
)

// branchNames mirrors matcher.Branches (checked against it under -tags matcher).
var branchNames = []string{"Bouw", "Techniek", "Groen", "Grijs", "Tuinbouw", "Horeca", "Leisure", "Detailhandel", "Overheid", "Productie", "Transport", "Logistiek", "Zorg", "ICT", "Dienstverlening", "Facilitair", "Uitzenden"}

func TestBuiltinShape(t *testing.T) {
	tx := Builtin()
	nOcc, nSkill := tx.Stats()
	if nOcc < 70 || nSkill < 100 {
		t.Fatalf("Stats() = %d, %d; want a few hundred entries", nOcc, nSkill)
	}
	known := map[string]bool{}
	for _, b := range branchNames {
		known[b] = true
	}
	skills := map[string]bool{}
	for _, s := range tx.Skills() {
		if !strings.HasPrefix(s.URI, projectSkillPrefix) || s.Label == "" {
			t.Errorf("skill %+v", s)
		}
		skills[s.URI] = true
	}
	branchSeen := map[string]bool{}
	uris := map[string]bool{}
	for _, o := range tx.Occupations() {
		if uris[o.URI] {
			t.Errorf("duplicate occupation %s", o.URI)
		}
		uris[o.URI] = true
		if len(o.ISCO) != 4 {
			t.Errorf("%s: ISCO %q", o.Label, o.ISCO)
		}
		if len(o.Branches) == 0 || len(o.Essential) == 0 || len(o.AltLabels) < 2 {
			t.Errorf("%s: branches %v essential %v alts %v", o.Label, o.Branches, o.Essential, o.AltLabels)
		}
		for _, b := range o.Branches {
			if !known[b] {
				t.Errorf("%s: unknown branch %q", o.Label, b)
			}
			branchSeen[b] = true
		}
		for _, s := range append(append([]string{}, o.Essential...), o.Optional...) {
			if !skills[s] {
				t.Errorf("%s: unknown skill %s", o.Label, s)
			}
		}
		if tx.ISCO(o.URI) != o.ISCO || tx.Label(o.URI) != o.Label {
			t.Errorf("%s: ISCO/Label lookups disagree", o.URI)
		}
	}
	for _, b := range []string{"Logistiek", "Horeca", "Zorg", "Bouw", "Detailhandel", "Productie", "Groen", "Transport", "Facilitair"} {
		if !branchSeen[b] {
			t.Errorf("no occupation in branch %s", b)
		}
	}
	if Builtin() != tx {
		t.Error("Builtin() not shared")
	}
}

func TestBuiltinResolve(t *testing.T) {
	tx := Builtin()
	const (
		heftruck  = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"
		bediening = "http://data.europa.eu/esco/occupation/d5db9d5c-2ebf-4a54-a79a-1b7e7ff70471"
		bus       = "http://data.europa.eu/esco/occupation/00cee175-1376-43fb-9f02-ba3d7a910a58"
		schoon    = "http://data.europa.eu/esco/occupation/303a1e34-cb16-4054-b323-81e5eec17397"
		magazijn  = "http://data.europa.eu/esco/occupation/bea705fe-06ac-4147-b8e0-6e8ac1208d8f"
		kok       = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
		order     = "http://data.europa.eu/esco/occupation/cd94def5-3442-4c2e-ae3d-0761a3008bcb"
	)
	cases := []struct{ q, want string }{
		{"heftruckchauffeuse", heftruck},
		{"Vorkheftruckbestuurder", heftruck},
		{"chauffeur heftruck", heftruck},
		{"medewerker bediening", bediening},
		{"Serveerster", bediening},
		{"bestuurster van een bus", bus},
		{"schoonmaakster", schoon},
		{"medewerkster magazijn", magazijn},
		{"kokkin", kok},
		{"orderpiker", order}, // typo
		{heftruck, heftruck},  // URI passes through
	}
	for _, c := range cases {
		got, ok := tx.ResolveOccupation(c.q)
		if !ok || got != c.want {
			t.Errorf("ResolveOccupation(%q) = %q, %v; want %q (candidates %v)", c.q, got, ok, c.want, tx.SearchOccupations(c.q, 3))
		}
	}
	for _, q := range []string{"", "   ", "astronaut", "xyzzy"} {
		if got, ok := tx.ResolveOccupation(q); ok {
			t.Errorf("ResolveOccupation(%q) = %q; want not found", q, got)
		}
	}
	sk := []struct{ q, want string }{
		{"heftruck rijden", "urn:werkmatch:skill:heftruck-rijden"},
		{"vorkheftruck besturen", "urn:werkmatch:skill:heftruck-rijden"},
		{"orderpicking", "urn:werkmatch:skill:orderpicken"},
		{"HACCP", "urn:werkmatch:skill:haccp"},
		{"klanten helpen", "urn:werkmatch:skill:klantvriendelijk"},
	}
	for _, c := range sk {
		got, ok := tx.ResolveSkill(c.q)
		if !ok || got != c.want {
			t.Errorf("ResolveSkill(%q) = %q, %v; want %q (candidates %v)", c.q, got, ok, c.want, tx.SearchSkills(c.q, 3))
		}
	}
	rel := tx.RelatedSkills("urn:werkmatch:skill:reachtruck-rijden")
	if !contains(rel, "urn:werkmatch:skill:heftruck-rijden") {
		t.Errorf("RelatedSkills(reachtruck) = %v", rel)
	}
	rel = tx.RelatedSkills("urn:werkmatch:skill:tillift")
	if !contains(rel, "urn:werkmatch:skill:veilig-tillen") {
		t.Errorf("RelatedSkills(tillift) = %v, want its broader skill", rel)
	}
	ess, opt := tx.OccupationSkills(heftruck)
	if !contains(ess, "urn:werkmatch:skill:heftruck-rijden") || len(opt) == 0 {
		t.Errorf("OccupationSkills(heftruck) = %v, %v", ess, opt)
	}
	if tx.Label("urn:werkmatch:skill:haccp") != "HACCP" || tx.Label("nope") != "" {
		t.Error("Label")
	}
}

func TestSearchRanksAndBounds(t *testing.T) {
	tx := Builtin()
	res := tx.SearchOccupations("medewerker", 5)
	if len(res) == 0 || len(res) > 5 {
		t.Fatalf("len = %d", len(res))
	}
	for i, c := range res {
		if c.Confidence < 0 || c.Confidence > 1 || c.URI == "" || c.Label == "" {
			t.Errorf("bad candidate %+v", c)
		}
		if i > 0 && res[i-1].Confidence < c.Confidence-0.5 {
			t.Errorf("order looks wrong: %+v", res)
		}
	}
	for _, q := range []string{"", "!!!", "van de", strings.Repeat("a", 5000), "\xff\xfe"} {
		_ = tx.SearchOccupations(q, 3) // must not panic
		_ = tx.SearchSkills(q, 3)
	}
	if got := tx.SearchOccupations("kok", 0); len(got) == 0 {
		t.Error("limit 0 should mean the default")
	}
}

func TestSynonymSets(t *testing.T) {
	sets := Builtin().SynonymSets()
	found := false
	for _, s := range sets {
		if len(s) < 2 || len(s) > 12 {
			t.Errorf("set size %d: %v", len(s), s)
		}
		if contains(s, "heftruckchauffeur") && contains(s, "vorkheftruckbestuurder") {
			found = true
		}
		for _, w := range s {
			if strings.Contains(w, " ") {
				t.Errorf("multi-word term %q", w)
			}
		}
	}
	if !found {
		t.Error("no set joins heftruckchauffeur and vorkheftruckbestuurder")
	}
}

func TestFoldToken(t *testing.T) {
	pairs := [][2]string{
		{"medewerker", "medewerkster"}, {"monteur", "monteuse"}, {"directeur", "directrice"},
		{"kok", "kokkin"}, {"kapper", "kapster"}, {"schoonmaker", "schoonmaakster"},
		{"schilder", "schilderes"}, {"assistent", "assistente"}, {"gastheer", "gastvrouw"},
		{"timmerman", "timmervrouw"}, {"technicus", "technica"}, {"bestuurder", "bestuurster"},
		{"verkoper", "verkoopster"}, {"leraar", "lerares"}, {"chauffeur", "chauffeuse"},
		{"medewerker", "medewerkers"},
	}
	for _, p := range pairs {
		if a, b := foldToken(p[0]), foldToken(p[1]); a != b {
			t.Errorf("fold(%s)=%s, fold(%s)=%s", p[0], a, p[1], b)
		}
	}
	if foldToken("kok") == foldToken("kap") {
		t.Error("over-folding")
	}
}

func TestSearchConcurrentAndArbitraryInput(t *testing.T) {
	tx := Builtin()
	want := tx.SearchOccupations("heftruckchauffeuse", 5)
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func(g int) {
			defer func() { done <- true }()
			for i := 0; i < 300; i++ {
				got := tx.SearchOccupations("heftruckchauffeuse", 5)
				if len(got) != len(want) || got[0] != want[0] {
					t.Errorf("concurrent search differs: %v", got)
					return
				}
				tx.SearchSkills("heftruck rijden", 3)
				tx.SearchOccupations(strings.Repeat("x", i%40)+"kok", 3)
			}
		}(g)
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	// Arbitrary bytes: no panic, confidences in [0,1] and never rising.
	seed := uint32(7)
	for i := 0; i < 2000; i++ {
		b := make([]byte, i%23)
		for j := range b {
			seed = seed*1664525 + 1013904223
			b[j] = byte(seed >> 24)
		}
		for _, res := range [][]Candidate{tx.SearchOccupations(string(b), 4), tx.SearchSkills(string(b), 4)} {
			for k, c := range res {
				if c.Confidence < 0 || c.Confidence > 1 || (k > 0 && c.Confidence > res[k-1].Confidence) {
					t.Fatalf("query %q: confidences %v", b, res)
				}
			}
		}
		tx.ResolveOccupation(string(b))
	}
}

// TestCompoundParts: the parts the full-text index stores beside a
// compound title, from the built-in vocabulary.
func TestCompoundParts(t *testing.T) {
	b := Builtin()
	for text, want := range map[string][]string{
		"heftruckchauffeur":               {"heftruck", "chauffeur"},
		"Magazijnmedewerker":              {"magazijn", "medewerker"},
		"thuiszorgmedewerker, keukenhulp": {"thuiszorg", "medewerker", "keuken", "hulp"},
		"kok":                             nil,
		"heftruck rijden":                 nil,
	} {
		if got := b.CompoundParts(text); !slices.Equal(got, want) {
			t.Errorf("CompoundParts(%q) = %q, want %q", text, got, want)
		}
	}
}
