// Package matcher is the ranking core of werkmatch: the profile and vacancy
// model, validation (including the personal-data detector), compiled
// features, hard filters, the weighted score, top-N selection and the
// explanation of every score, in both directions (vacancy → profiles and
// profile → vacancies).
//
// The package is pure: it imports no HTTP framework, search index, cache or
// metrics library. It declares the small interfaces it needs from the outside
// (Store, Searcher, ResultCache, Taxonomy, Locator) in ports.go; the index,
// cache, taxonomy and geo packages implement them and cmd/werkmatch wires
// them together.
//
// A reader following one match through the code:
//
//   - engine.go: Engine, its options and every public call; the scans in
//     both directions and the explanation of the final top-N.
//   - features.go: compiling a Profile or Vacancy into compact features:
//     skill and occupation terms resolved through the Taxonomy (memoised)
//     and interned to dense ids, branches and licences as bitmasks, hours,
//     levels and dates (days) as small integers, float32 PC4 centroids.
//   - table.go: the storage, a struct-of-arrays base segment sorted by PC4
//     (one group per PC4, rows by travel radius descending) plus an
//     append-only delta, with MVCC deletion versions and one atomically
//     published snapshot, so queries never lock and never see half a write;
//     compaction builds a new base outside the writer lock and catches up
//     under it. Rows hold no Go pointers (ids in byte arenas, an
//     open-addressing id index in docindex.go, vacancy labels and employers
//     in dictionaries), so a million profiles cost the garbage collector
//     next to nothing.
//   - score.go: the hard filters and the score, with the exact formulas in
//     its doc comment; topn.go: the bounded top-N heap (ties on id).
//
// A vacancy → profiles query visits only the PC4 groups whose centroid can
// lie within the largest travel radius of the group (a cheap latitude and
// longitude bound first, then the haversine distance), stops inside a group
// at the first row whose radius is too small, applies the remaining hard
// filters on a few bytes per row, prunes rows that cannot reach the current
// top-N even with the best skills value their 32-bit skill signature
// allows, and only then reads the row's terms and merges skills. Large
// bases are split across Workers. Nothing is allocated per candidate.
package matcher
