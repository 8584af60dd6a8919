// Package corpus generates a deterministic synthetic corpus of anonymised
// work-seeker profiles and employer vacancies for the bottom of the Dutch
// labour market: the demo data of werkmatch serve --demo, the input of
// werkmatch gen, and the load of the benchmarks.
//
// Every document depends only on the seed, the options and its index:
// Profile(i) and Vacancy(i) draw from their own random stream, so a corpus
// of a million profiles can be streamed, generated in parallel, or
// regenerated in part, and always comes out the same. Branches are weighted
// as werkgeversservicepunten place people (logistics, cleaning, hospitality,
// care, retail, production, green, construction and transport first),
// occupations and skills come from the taxonomy with a Zipf-like popularity
// of general skills, postcode areas are spread like the population with
// weight on the Randstad and the cities, hours are often part-time (school
// hours for many), and the three perspectieven, banenafspraak and open
// hiring appear in realistic shares.
//
// Every generated document passes Validate and CheckPersonalData of package
// matcher: free texts are composed from fixed Dutch fragments and never
// contain a name, number, address or contact detail.
package corpus
