// Package taxonomy knows occupations and skills and understands them as
// people type them.
//
// A Taxonomy comes from the project's own vocabulary (Builtin: the
// occupations and skills WSP branches place people in, with Dutch synonyms,
// gender forms, ISCO-08 groups, branches and essential skills) or from the
// official ESCO CSV export in Dutch (LoadESCO). It implements
// matcher.Taxonomy (ResolveOccupation, ResolveSkill, ISCO, RelatedSkills,
// OccupationSkills, Label), answers ranked searches (SearchOccupations,
// SearchSkills) with a confidence in [0,1], and gives synonym sets for the
// full-text index (SynonymSets).
//
// Normalisation: labels are lower-cased and stripped of diacritics; stop
// words go; each token is folded to a stem that Dutch gender and agent
// forms share (medewerker/medewerkster, monteur/monteuse, kok/kokkin);
// compounds are split against the label vocabulary (vorkheftruckbestuurder
// = vorkheftruck + bestuurder); unknown tokens are corrected to known ones
// within a small edit distance. Each label of a concept is scored on its
// own (weighted overlap of IDF-weighted features), and the concept gets its
// best label's score plus weak evidence from its whole label set, its
// description and its ISCO group. An order-free folded label key equal to
// the query's marks an exact match. Queries use an inverted index and take
// well under a millisecond on the full ESCO occupation set.
//
// Where ESCO-derived results are shown, say: "This service uses the ESCO
// classification of the European Commission." (the Attribution constant).
package taxonomy
