package taxonomy

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ESCO export file names (Dutch CSV export, ESCO v1.x).
const (
	fileOccupations    = "occupations_nl.csv"
	fileISCOGroups     = "ISCOGroups_nl.csv"
	fileSkills         = "skills_nl.csv"
	fileSkillGroups    = "skillGroups_nl.csv"
	fileSkillHierarchy = "skillsHierarchy_nl.csv"
	fileBroaderOcc     = "broaderRelationsOccPillar.csv"
	fileBroaderSkill   = "broaderRelationsSkillPillar.csv"
	fileSkillSkill     = "skillSkillRelations.csv"
	fileOccSkill       = "occupationSkillRelations_nl.csv"
	fileOccSkillAlt    = "occupationSkillRelations.csv"
)

// skillCollections are the collection files that also carry skill labels;
// they fill in skills when skills_nl.csv is absent or incomplete.
var skillCollections = []string{
	"transversalSkillsCollection_nl.csv",
	"languageSkillsCollection_nl.csv",
	"digitalSkillsCollection_nl.csv",
	"digCompSkillsCollection_nl.csv",
	"greenSkillsCollection_nl.csv",
	"researchSkillsCollection_nl.csv",
}

// LoadESCO reads the official ESCO CSV export (Dutch) from dir:
// occupations_nl.csv (required), ISCOGroups_nl.csv, skills_nl.csv,
// skillGroups_nl.csv, skillsHierarchy_nl.csv, the broader-relation files,
// skillSkillRelations.csv, occupationSkillRelations_nl.csv and the skill
// collection files, each when present. Labels may be separated by newlines
// (or " | " in collection files); quoted fields may span lines; a UTF-8
// BOM is ignored; concepts whose status is not "released" are skipped.
func LoadESCO(dir string) (*Taxonomy, error) {
	t, err := readESCO(dir)
	if err != nil {
		return nil, err
	}
	t.finish()
	return t, nil
}

// readESCO parses the export without building the search indexes.
func readESCO(dir string) (*Taxonomy, error) {
	t := &Taxonomy{
		iscoLabels: map[string][]string{},
		groupLabel: map[string]string{},
		counts:     map[string]int{},
		rerank:     occRerank,
	}
	// ISCO groups.
	if err := eachRow(dir, fileISCOGroups, false, func(r row) error {
		if !released(r) {
			return nil
		}
		code, label := r.get("code"), r.get("preferredLabel")
		t.counts["isco_groups"]++
		if label != "" {
			t.groupLabel[r.get("conceptUri")] = label
			if code != "" {
				t.iscoLabels[code] = append([]string{label}, splitLabels(r.get("altLabels"))...)
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	// Occupations.
	if err := eachRow(dir, fileOccupations, true, func(r row) error {
		if !released(r) {
			t.counts["occupations_skipped"]++
			return nil
		}
		uri, label := r.get("conceptUri"), r.get("preferredLabel")
		if uri == "" || label == "" {
			t.counts["occupations_skipped"]++
			return nil
		}
		isco := r.get("iscoGroup")
		if len(isco) > 4 {
			isco = isco[:4]
		}
		t.occs = append(t.occs, occRec{
			uri: uri, isco: isco, label: label,
			alts:   dedupeLabels(label, splitLabels(r.get("altLabels"))),
			hidden: dedupeLabels(label, splitLabels(r.get("hiddenLabels"))),
			desc:   firstNonEmpty(r.get("description"), r.get("definition")),
		})
		return nil
	}); err != nil {
		return nil, err
	}
	t.counts["occupations"] = len(t.occs)
	occIdx := make(map[string]int, len(t.occs))
	for i := range t.occs {
		occIdx[t.occs[i].uri] = i
	}
	// Skills, then skills found only in collections.
	skillIdx := map[string]int{}
	addSkill := func(r row, counter string) {
		if !released(r) {
			t.counts["skills_skipped"]++
			return
		}
		uri, label := r.get("conceptUri"), r.get("preferredLabel")
		if uri == "" || label == "" {
			return
		}
		if _, dup := skillIdx[uri]; dup {
			return
		}
		skillIdx[uri] = len(t.skills)
		t.skills = append(t.skills, skillRec{
			uri: uri, label: label,
			alts:   dedupeLabels(label, splitLabels(r.get("altLabels"))),
			hidden: dedupeLabels(label, splitLabels(r.get("hiddenLabels"))),
			desc:   firstNonEmpty(r.get("description"), r.get("definition")),
		})
		t.counts[counter]++
	}
	if err := eachRow(dir, fileSkills, false, func(r row) error { addSkill(r, "skills_file"); return nil }); err != nil {
		return nil, err
	}
	for _, f := range skillCollections {
		if err := eachRow(dir, f, false, func(r row) error { addSkill(r, "skills_from_collections"); return nil }); err != nil {
			return nil, err
		}
	}
	t.counts["skills"] = len(t.skills)
	// Skill groups and the hierarchy (labels of group URIs).
	if err := eachRow(dir, fileSkillGroups, false, func(r row) error {
		if released(r) && r.get("conceptUri") != "" {
			t.groupLabel[r.get("conceptUri")] = r.get("preferredLabel")
			t.counts["skill_groups"]++
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(dir, fileSkillHierarchy, false, func(r row) error {
		t.counts["skill_hierarchy"]++
		for l := 0; l <= 3; l++ {
			u, p := r.get(fmt.Sprintf("Level %d URI", l)), r.get(fmt.Sprintf("Level %d preferred term", l))
			if u != "" && p != "" && t.groupLabel[u] == "" {
				t.groupLabel[u] = p
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	// Broader relations: occupations (fills a missing ISCO group) and skills.
	if err := eachRow(dir, fileBroaderOcc, false, func(r row) error {
		t.counts["broader_occupation"]++
		i, ok := occIdx[r.get("conceptUri")]
		if b := r.get("broaderUri"); ok && r.get("broaderType") == "Occupation" && b != "" && !contains(t.occs[i].broader, b) {
			t.occs[i].broader = append(t.occs[i].broader, b)
		}
		if ok && r.get("broaderType") == "ISCOGroup" && t.occs[i].isco == "" {
			b := r.get("broaderUri")
			if k := strings.LastIndex(b, "/C"); k >= 0 && len(b)-k-2 == 4 {
				t.occs[i].isco = b[k+2:]
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(dir, fileBroaderSkill, false, func(r row) error {
		t.counts["broader_skill"]++
		i, ok := skillIdx[r.get("conceptUri")]
		if !ok {
			return nil
		}
		// Skill-to-skill links count for matching (RelatedSkills); groups
		// are only search evidence (their labels) and sibling sets.
		b := r.get("broaderUri")
		if b == "" {
			return nil
		}
		switch r.get("broaderType") {
		case "KnowledgeSkillCompetence":
			if !contains(t.skills[i].broader, b) {
				t.skills[i].broader = append(t.skills[i].broader, b)
			}
		case "SkillGroup":
			if !contains(t.skills[i].groups, b) {
				t.skills[i].groups = append(t.skills[i].groups, b)
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(dir, fileSkillSkill, false, func(r row) error {
		t.counts["skill_skill"]++
		a, b := r.get("originalSkillUri"), r.get("relatedSkillUri")
		if a == "" || b == "" || a == b {
			return nil
		}
		if i, ok := skillIdx[a]; ok && !contains(t.skills[i].related, b) {
			t.skills[i].related = append(t.skills[i].related, b)
		}
		if i, ok := skillIdx[b]; ok && !contains(t.skills[i].related, a) {
			t.skills[i].related = append(t.skills[i].related, a)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	occSkill := func(r row) error {
		t.counts["occupation_skill"]++
		i, ok := occIdx[r.get("occupationUri")]
		s := r.get("skillUri")
		if !ok || s == "" {
			return nil
		}
		o := &t.occs[i]
		switch strings.ToLower(r.get("relationType")) {
		case "essential":
			if !contains(o.essential, s) {
				o.essential = append(o.essential, s)
			}
		case "optional":
			if !contains(o.optional, s) {
				o.optional = append(o.optional, s)
			}
		}
		return nil
	}
	if err := eachRow(dir, fileOccSkill, false, occSkill); err != nil {
		return nil, err
	}
	if t.counts["occupation_skill"] == 0 {
		if err := eachRow(dir, fileOccSkillAlt, false, occSkill); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// ImportCounts reports what LoadESCO read: rows per kind (occupations,
// isco_groups, skills, skills_file, skills_from_collections, skill_groups,
// skill_hierarchy, broader_occupation, broader_skill, skill_skill,
// occupation_skill, and *_skipped for deprecated or unlabelled concepts).
// It is empty for the built-in vocabulary.
func (t *Taxonomy) ImportCounts() map[string]int {
	out := make(map[string]int, len(t.counts))
	for k, v := range t.counts {
		out[k] = v
	}
	return out
}

// row is one CSV record with its header.
type row struct {
	cols map[string]int
	rec  []string
}

func (r row) get(name string) string {
	if i, ok := r.cols[name]; ok && i < len(r.rec) {
		return strings.TrimSpace(r.rec[i])
	}
	return ""
}

// eachRow streams the records of dir/name. A missing file is an error only
// when required.
func eachRow(dir, name string, required bool, fn func(row) error) error {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		if !required && errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("taxonomy: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("taxonomy: %s: header: %w", name, err)
	}
	cols := make(map[string]int, len(head))
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		cols[h] = i
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("taxonomy: %s: %w", name, err)
		}
		if err := fn(row{cols, rec}); err != nil {
			return err
		}
	}
}

// released reports whether a concept row is current (no status column
// counts as released).
func released(r row) bool {
	s := strings.ToLower(r.get("status"))
	return s == "" || s == "released"
}

// splitLabels splits a label list on newlines and " | ".
func splitLabels(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, " | ", "\n")
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// dedupeLabels drops repeats and labels equal to the preferred label.
func dedupeLabels(pref string, ls []string) []string {
	seen := map[string]bool{strings.ToLower(pref): true}
	out := ls[:0]
	for _, l := range ls {
		k := strings.ToLower(l)
		if !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
