package taxonomy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const escoOcc = "http://data.europa.eu/esco/occupation/"

func TestLoadESCOFixture(t *testing.T) {
	tx, err := LoadESCO(filepath.Join("testdata", "esco"))
	if err != nil {
		t.Fatal(err)
	}
	nOcc, nSkill := tx.Stats()
	if nOcc != 4 || nSkill != 5 {
		t.Fatalf("Stats() = %d, %d; want 4 occupations (one deprecated skipped), 5 skills (one deprecated skipped)", nOcc, nSkill)
	}
	c := tx.ImportCounts()
	if c["occupations_skipped"] != 1 || c["skills_skipped"] != 1 || c["isco_groups"] != 3 || c["occupation_skill"] != 6 {
		t.Errorf("ImportCounts() = %v", c)
	}
	heftruck := escoOcc + "test-0001"
	// BOM before the header: the first column must still be found.
	if tx.Label(heftruck) != "heftruckchauffeur" || tx.ISCO(heftruck) != "8344" {
		t.Errorf("heftruck: label %q isco %q", tx.Label(heftruck), tx.ISCO(heftruck))
	}
	// Multi-line quoted altLabels are split per line.
	var occ Occupation
	for _, o := range tx.Occupations() {
		if o.URI == heftruck {
			occ = o
		}
	}
	if strings.Join(occ.AltLabels, "|") != "vorkheftruckbestuurder|heftruckchauffeuse|chauffeur reachtruck" {
		t.Errorf("alt labels %q", occ.AltLabels)
	}
	// Diacritics survive in labels and are matched without them.
	creche := escoOcc + "test-0003"
	if tx.Label(creche) != "coördinator crèche" {
		t.Errorf("label %q", tx.Label(creche))
	}
	if got, ok := tx.ResolveOccupation("coordinatrice creche"); !ok || got != creche {
		t.Errorf("ResolveOccupation(coordinatrice creche) = %q, %v", got, ok)
	}
	// Deprecated concepts are skipped, also in relations.
	if tx.Label(escoOcc+"test-0004") != "" {
		t.Error("deprecated occupation loaded")
	}
	if tx.Label("http://data.europa.eu/esco/skill/test-s05") != "" {
		t.Error("deprecated skill loaded")
	}
	// A missing iscoGroup is filled from the broader relation.
	if got := tx.ISCO(escoOcc + "test-0005"); got != "9112" {
		t.Errorf("ISCO from broader relation = %q", got)
	}
	// Hidden labels are searchable.
	if got, ok := tx.ResolveOccupation("heftruckrijder"); !ok || got != heftruck {
		t.Errorf("hidden label: %q, %v", got, ok)
	}
	ess, opt := tx.OccupationSkills(heftruck)
	if len(ess) != 1 || ess[0] != "http://data.europa.eu/esco/skill/test-s01" || len(opt) != 1 {
		t.Errorf("OccupationSkills = %v, %v", ess, opt)
	}
	ess, _ = tx.OccupationSkills(escoOcc + "test-0002")
	if len(ess) != 2 {
		t.Errorf("kok essential = %v", ess)
	}
	rel := tx.RelatedSkills("http://data.europa.eu/esco/skill/test-s02")
	if !contains(rel, "http://data.europa.eu/esco/skill/test-s01") {
		t.Errorf("RelatedSkills(reachtruck) = %v", rel)
	}
	// Skill groups are labels, not related skills.
	for _, r := range tx.RelatedSkills("http://data.europa.eu/esco/skill/test-s01") {
		if strings.Contains(r, "test-g01") {
			t.Errorf("skill group among related skills: %v", r)
		}
	}
	if tx.Label("http://data.europa.eu/esco/skill/test-g01") != "voertuigen en machines bedienen" {
		t.Error("skill group label")
	}
	// ...and they are the skill's group in the search index, where its
	// label counts as evidence the way an ISCO group's does.
	s01 := tx.skillByURI["http://data.europa.eu/esco/skill/test-s01"]
	if g := tx.skills[s01].groups; len(g) != 1 || g[0] != "http://data.europa.eu/esco/skill/test-g01" {
		t.Errorf("groups of test-s01 = %v", g)
	}
	if tx.skillIdx.group[s01] < 0 || len(tx.skillIdx.iscoOf[foldToken("voertuigen")]) == 0 {
		t.Error("skill group not in the skill index")
	}
	if got, ok := tx.ResolveSkill("HACCP"); !ok || got != "http://data.europa.eu/esco/skill/test-s03" {
		t.Errorf("ResolveSkill(HACCP) = %q, %v", got, ok)
	}
	if got, ok := tx.ResolveSkill("vorkheftruck rijden"); !ok || got != "http://data.europa.eu/esco/skill/test-s01" {
		t.Errorf("ResolveSkill(vorkheftruck rijden) = %q, %v", got, ok)
	}
}

func TestLoadESCOErrors(t *testing.T) {
	if _, err := LoadESCO(t.TempDir()); err == nil {
		t.Error("empty folder: want an error (occupations_nl.csv is required)")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, fileOccupations), []byte("conceptType,conceptUri,preferredLabel\nOccupation,\"x,y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A broken quote at the end of the file is tolerated or reported, never a panic.
	_, _ = LoadESCO(dir)
}

func TestLoadESCOReal(t *testing.T) {
	dir := realESCO(t)
	tx, err := LoadESCO(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := tx.ImportCounts()
	t.Logf("import counts: %v", c)
	nOcc, nSkill := tx.Stats()
	if nOcc != 3039 || c["occupations"] != 3039 {
		t.Errorf("occupations = %d, want 3039", nOcc)
	}
	if c["isco_groups"] != 619 {
		t.Errorf("ISCO groups = %d, want 619", c["isco_groups"])
	}
	if c["skill_groups"] != 640 || c["broader_occupation"] != 3551 || c["broader_skill"] != 20856 || c["skill_skill"] != 5971 {
		t.Errorf("relation rows: %v", c)
	}
	if nSkill < 2000 {
		t.Errorf("skills from collections = %d", nSkill)
	}
	heftruck := escoOcc + "eeac6251-1974-42f5-91ed-513c6c883755"
	if tx.Label(heftruck) != "heftruckchauffeur" || tx.ISCO(heftruck) != "8344" {
		t.Errorf("heftruckchauffeur: %q %q", tx.Label(heftruck), tx.ISCO(heftruck))
	}
	insp := escoOcc + "00030d09-2b3a-4efd-87cc-c4ea39d27c34"
	if tx.Label(insp) != "inspiciënt" || tx.ISCO(insp) != "2654" {
		t.Errorf("inspiciënt: %q %q", tx.Label(insp), tx.ISCO(insp))
	}
	if tx.Label("http://data.europa.eu/esco/isco/C225") != "Dierenartsen" {
		t.Error("ISCO group label")
	}
	if tx.Label("http://data.europa.eu/esco/skill/001115fb-569f-4ee6-8381-c6807ef2527f") != "initiatief aan de dag leggen" {
		t.Error("transversal skill from the collection file")
	}
	cases := []struct{ q, want string }{
		{"heftruckchauffeuse", heftruck},
		{"Vorkheftruckbestuurder", heftruck},
		{"bestuurster heftruck", heftruck},
		{"inspiciente", insp},
		{"conciërge", escoOcc + "1822bfc2-e735-449f-ba00-ca71eb5c062b"},
		{"concierge", escoOcc + "1822bfc2-e735-449f-ba00-ca71eb5c062b"},
		{"bestuurster van een bus", escoOcc + "00cee175-1376-43fb-9f02-ba3d7a910a58"},
		{"ober/serveerster", escoOcc + "d5db9d5c-2ebf-4a54-a79a-1b7e7ff70471"},
		{"magazijn medewerkster", escoOcc + "bea705fe-06ac-4147-b8e0-6e8ac1208d8f"},
		{"orderpikker", escoOcc + "cd94def5-3442-4c2e-ae3d-0761a3008bcb"},
	}
	for _, cc := range cases {
		got := tx.SearchOccupations(cc.q, 5)
		if len(got) == 0 || got[0].URI != cc.want {
			t.Errorf("SearchOccupations(%q) = %v; want %s first", cc.q, got, tx.Label(cc.want))
		}
	}
	sets := tx.SynonymSets()
	if len(sets) < 500 {
		t.Errorf("SynonymSets: %d sets", len(sets))
	}
	joined := false
	for _, s := range sets {
		if contains(s, "medewerker") || contains(s, "operator") || contains(s, "bediener") {
			t.Errorf("generic word in synonym set %v", s)
		}
		if contains(s, "heftruckchauffeur") && contains(s, "vorkheftruckbestuurder") {
			joined = true
		}
	}
	if !joined {
		t.Error("no ESCO synonym set joins heftruckchauffeur and vorkheftruckbestuurder")
	}
}
