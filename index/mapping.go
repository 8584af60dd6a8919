package index

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/werkmatch/werkmatch/matcher"
)

// mappingVersion is stored in each Bleve index (SetInternal). Bump it on
// every change to the mapping or to the indexed form of a document: Open
// then rebuilds the index from the stored documents.
const mappingVersion = "6"

// Internal keys.
var (
	keyMappingVersion = []byte("werkmatch.mapping_version")
	keySynonyms       = []byte("werkmatch.synonyms") // JSON: {"hash":..,"n":..}
)

// Field names of the indexed form. Free-text fields use the Dutch analyzer
// and the synonym source; everything else is exact.
const (
	fID            = "id"
	fKind          = "kind" // "profile" or "vacancy" on every document
	fDoc           = "doc"  // the document as JSON: stored, not indexed
	fMunicipality  = "municipality"
	fEmployer      = "employer_id"
	fBranch        = "branch"
	fPerspectief   = "perspectief"
	fLicence       = "licence"
	fEducation     = "education"
	fDutch         = "dutch"
	fLoad          = "load"
	fLoadRank      = "load_rank"
	fHoursMin      = "hours_min"
	fHoursMax      = "hours_max"
	fOpenHiring    = "open_hiring"
	fBanenafspraak = "banenafspraak"
	fStatus        = "status"
	fAvailable     = "available_from" // profile, yyyymmdd
	fLoc           = "loc"
	fTitle         = "title"
	fDescription   = "description"
	fSummary       = "summary"
	fOccupation    = "occupation"
	fSkill         = "skill"
	fParts         = "parts" // the parts of compounds in occupations, skills and title (Options.Decompound)
)

// synonymSource and synonymCollection name the Bleve synonym source that the
// free-text fields use.
const (
	synonymSource     = "werkmatch_nl"
	synonymCollection = "werkmatch_synonyms"
)

// textFields lists the free-text fields of a kind with their query boost.
var textFields = map[string][]struct {
	name  string
	boost float64
}{
	kindProfile: {{fOccupation, 2}, {fSkill, 1.5}, {fSummary, 1}, {fParts, 0.5}},
	kindVacancy: {{fTitle, 3}, {fOccupation, 2}, {fSkill, 1.5}, {fDescription, 1}, {fParts, 0.5}},
}

const (
	kindProfile = "profile"
	kindVacancy = "vacancy"
)

// newMapping builds the explicit mapping of one kind. Dynamic mapping is
// off: a field that is not listed here is neither indexed nor stored.
func newMapping(kind string) (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	if err := addAnalyzer(im); err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = analyzerName
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	if err := im.AddSynonymSource(synonymSource, map[string]interface{}{
		"collection": synonymCollection,
		"analyzer":   analyzerName,
	}); err != nil {
		return nil, err
	}

	dm := bleve.NewDocumentMapping()
	dm.Dynamic = false

	kw := func(facet bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = facet
		return f
	}
	num := func() *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	boolean := func() *mapping.FieldMapping {
		f := bleve.NewBooleanFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzerName
		f.SynonymSource = synonymSource
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	stored := bleve.NewTextFieldMapping()
	stored.Analyzer = keyword.Name
	stored.Index = false
	stored.Store = true
	stored.IncludeInAll = false
	stored.IncludeTermVectors = false
	stored.DocValues = false
	geo := bleve.NewGeoPointFieldMapping()
	geo.Store = false
	geo.IncludeInAll = false
	geo.DocValues = true

	dm.AddFieldMappingsAt(fID, kw(false))
	dm.AddFieldMappingsAt(fKind, kw(false))
	dm.AddFieldMappingsAt(fDoc, stored)
	dm.AddFieldMappingsAt(fBranch, kw(true))
	dm.AddFieldMappingsAt(fLicence, kw(false))
	dm.AddFieldMappingsAt(fEducation, kw(true))
	dm.AddFieldMappingsAt(fLoad, kw(false))
	// Small whole numbers are fixed-width keyword terms (ordTerm), ranged
	// with term ranges: a Bleve number indexes 16 terms per value, which
	// made the four numbers of a profile about a third of its indexing
	// time. available_from stays a number (see the package doc).
	dm.AddFieldMappingsAt(fLoadRank, kw(false))
	dm.AddFieldMappingsAt(fHoursMin, kw(false))
	dm.AddFieldMappingsAt(fHoursMax, kw(true))
	dm.AddFieldMappingsAt(fOpenHiring, boolean())
	dm.AddFieldMappingsAt(fBanenafspraak, boolean())
	dm.AddFieldMappingsAt(fLoc, geo)
	dm.AddFieldMappingsAt(fOccupation, text())
	dm.AddFieldMappingsAt(fSkill, text())
	dm.AddFieldMappingsAt(fParts, text())
	switch kind {
	case kindProfile:
		dm.AddFieldMappingsAt(fMunicipality, kw(false))
		dm.AddFieldMappingsAt(fPerspectief, kw(false))
		dm.AddFieldMappingsAt(fDutch, kw(false))
		dm.AddFieldMappingsAt(fAvailable, num())
		dm.AddFieldMappingsAt(fSummary, text())
	case kindVacancy:
		dm.AddFieldMappingsAt(fEmployer, kw(false))
		dm.AddFieldMappingsAt(fStatus, kw(false))
		dm.AddFieldMappingsAt(fDutch, kw(false))
		dm.AddFieldMappingsAt(fTitle, text())
		dm.AddFieldMappingsAt(fDescription, text())
	}
	// no _all field: every query names its fields, and composing _all
	// cost a tenth of the indexing time
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = dm
	return im, nil
}

// compoundParts is the text of the fParts field: the compound parts
// (Options.Decompound) of every term, or "".
func compoundParts(opts *Options, lists ...[]string) string {
	if opts.Decompound == nil {
		return ""
	}
	var b strings.Builder
	for _, l := range lists {
		for _, t := range l {
			for _, p := range opts.Decompound(t) {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(p)
			}
		}
	}
	return b.String()
}

// ordTerm is the indexed term of a whole number from 0 to 99,999,999
// (hours, a load rank): eight digits, zero-padded, so that the terms sort
// as the numbers do. A negative number, which validation keeps out, is
// indexed as 0.
func ordTerm(n int) string {
	return fmt.Sprintf("%08d", max(0, n))
}

// dateNum turns YYYY-MM-DD into the number yyyymmdd (0 when empty or
// malformed), so that dates sort and range as numbers.
func dateNum(s string) float64 {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0
	}
	n, err := strconv.Atoi(s[0:4] + s[5:7] + s[8:10])
	if err != nil {
		return 0
	}
	return float64(n)
}

func nonEmpty(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// loadRank is LoadRank with "unknown" mapped to the most permissive value
// for a candidate (heavy) and to the least demanding for a vacancy (light).
func loadRank(v string, dflt int) int {
	if r := matcher.LoadRank(v); r >= 0 {
		return r
	}
	return dflt
}

// profileDoc is the indexed form of a profile, with the JSON stored beside.
func profileDoc(p *matcher.Profile, opts *Options) (map[string]interface{}, error) {
	loc := opts.Locator
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	d := map[string]interface{}{
		fID:            p.ID,
		fKind:          kindProfile,
		fDoc:           string(raw),
		fMunicipality:  p.Municipality,
		fBranch:        nonEmpty(p.Branches),
		fPerspectief:   p.Perspectief,
		fLicence:       nonEmpty(p.DrivingLicences),
		fEducation:     p.EducationLevel,
		fDutch:         p.DutchLevel,
		fLoad:          p.MaxPhysicalLoad,
		fLoadRank:      ordTerm(loadRank(p.MaxPhysicalLoad, len(matcher.PhysicalLoads)-1)),
		fHoursMin:      ordTerm(p.HoursMin),
		fHoursMax:      ordTerm(p.HoursMax),
		fOpenHiring:    p.OpenToOpenHiring,
		fBanenafspraak: p.Banenafspraak,
		fAvailable:     dateNum(p.AvailableFrom),
		fOccupation:    nonEmpty(p.DesiredOccupations),
		fSkill:         nonEmpty(p.Skills),
		fSummary:       p.Summary,
	}
	if parts := compoundParts(opts, p.DesiredOccupations, p.Skills); parts != "" {
		d[fParts] = parts
	}
	if lat, lon, ok := loc.Centroid(p.Postcode4); ok {
		d[fLoc] = map[string]interface{}{"lat": lat, "lon": lon}
	}
	return d, nil
}

// vacancyDoc is the indexed form of a vacancy, with the JSON stored beside.
func vacancyDoc(v *matcher.Vacancy, opts *Options) (map[string]interface{}, error) {
	loc := opts.Locator
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	skills := append(nonEmpty(v.RequiredSkills), nonEmpty(v.PreferredSkills)...)
	d := map[string]interface{}{
		fID:            v.ID,
		fKind:          kindVacancy,
		fDoc:           string(raw),
		fEmployer:      v.EmployerID,
		fBranch:        v.Branch,
		fLicence:       nonEmpty(v.DrivingLicences),
		fEducation:     v.EducationLevelMin,
		fDutch:         v.DutchLevelMin,
		fLoad:          v.PhysicalLoad,
		fLoadRank:      ordTerm(loadRank(v.PhysicalLoad, 0)),
		fHoursMin:      ordTerm(v.HoursMin),
		fHoursMax:      ordTerm(v.HoursMax),
		fOpenHiring:    v.OpenHiring,
		fBanenafspraak: v.BanenafspraakSuitable,
		fStatus:        v.Status,
		fTitle:         v.Title,
		fDescription:   v.Description,
		fOccupation:    v.Occupation,
		fSkill:         skills,
	}
	if parts := compoundParts(opts, []string{v.Title, v.Occupation}, skills); parts != "" {
		d[fParts] = parts
	}
	if lat, lon, ok := loc.Centroid(v.Postcode4); ok {
		d[fLoc] = map[string]interface{}{"lat": lat, "lon": lon}
	}
	return d, nil
}
