// Package taxonomy knows occupations and skills and understands them as
// people type them.
//
// A Taxonomy comes from the project's own vocabulary (Builtin: about a
// hundred occupations and 140 skills that WSP branches place people in,
// with Dutch synonyms, gender forms, ISCO-08 groups, branches and
// essential/optional skills, ESCO URIs where the concept exists in ESCO) or
// from the official ESCO CSV export in Dutch (LoadESCO; skills come from
// skills_nl.csv and, where that is absent, from the skill collection
// files). It implements matcher.Taxonomy (ResolveOccupation, ResolveSkill,
// ISCO, RelatedSkills, OccupationSkills, Label), answers ranked searches
// (SearchOccupations, SearchSkills) with a confidence in [0,1], and gives
// synonym sets for the full-text index (SynonymSets).
//
// # Normalisation
//
// Labels are lower-cased and stripped of diacritics, stop words go, and
// each token is folded to a stem that Dutch gender and agent forms share
// (medewerker/medewerkster, monteur/monteuse, directeur/directrice,
// kok/kokkin, gastheer/gastvrouw). Compounds are split against the label
// and description vocabulary (vorkheftruckbestuurder = vorkheftruck +
// bestuurder; without a clean cut the longest known head is kept). Unknown
// tokens are corrected to known ones within a small edit distance.
//
// Scoring works per label, and per concept over its whole label set: the
// best label's weighted token overlap (IDF-weighted Dice) plus its
// character-trigram cosine; the trigram cosine of the whole label set; the
// share of the query found anywhere in the
// concept's labels; weak evidence from the description and the ISCO group;
// a bonus when the order-free folded key of the query equals a label's (so
// word order, gender and compounding do not matter), and a smaller one
// when the query with one word swapped is a label. The swaps are learnt
// from the taxonomy itself: two labels of one concept that differ in one
// word make those words stand-ins (hoofd/chef, magazijnhulp/
// magazijnmedewerker). An inverted index keeps a query at about 0.1 ms of
// CPU on the full ESCO occupation set.
//
// # Evaluation
//
// EvaluateHoldOut removes a seeded share of the ESCO alternative labels
// before the index is built and asks for each removed label
// (go test ./taxonomy -run TestHoldOut -v [-esco DIR -eval.share 0.2
// -eval.seed 1 -eval.misses 50]). At a 0.2 share, seeds 1-5, the label's
// own occupation ranks first for 0.68-0.69 of the queries and in the first
// five for 0.87-0.89; a plain character-trigram TF-IDF over the remaining
// labels reaches 0.60-0.62 and 0.85-0.87 on the same splits
// (TestHoldOutTrigramBaseline). About one held-out label in six is, after
// normalisation, also a label of another occupation in ESCO; counting an
// answer as right when the occupation ranked carries the label, top-1 is
// 0.81-0.82 and top-5 0.91-0.92. Answers that ResolveOccupation accepts
// (about 56% of the queries) are right in 97% of cases by that count.
//
// Where ESCO-derived results are shown, say: "This service uses the ESCO
// classification of the European Commission." (the Attribution constant).
package taxonomy
