// Package matcher is the ranking core of werkmatch: the profile and vacancy
// model, validation (including the personal-data detector), compiled
// features, hard filters, the weighted score, top-N selection and the
// explanation of every score, in both directions (vacancy → profiles and
// profile → vacancies).
//
// The package is pure: it imports no HTTP framework, search index, cache or
// metrics library. It declares the small interfaces it needs from the outside
// (Store, Searcher, ResultCache, Locator) in ports.go; the index, cache and
// geo packages implement them and cmd/werkmatch wires them together.
package matcher
