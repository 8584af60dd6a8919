package taxonomy

import (
	"sort"
	"sync"
	"testing"
	"time"
)

var (
	benchOnce sync.Once
	benchTax  *Taxonomy
	benchErr  error
)

func benchESCO(b *testing.B) *Taxonomy {
	dir := realESCO(b)
	benchOnce.Do(func() { benchTax, benchErr = LoadESCO(dir) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchTax
}

// benchQueries are titles as people type them: gender forms, compounds,
// word order, typos, stop words.
var benchQueries = []string{
	"heftruckchauffeuse", "medewerker bediening", "bestuurster van een bus", "vorkheftruckbestuurder",
	"magazijnmedewerkster", "schoonmaakster kantoren", "kokkin", "medewerker magazijn", "orderpiker",
	"hovenierster", "verzorgende IG", "kassamedewerkster supermarkt", "productiemedewerker voedingsindustrie",
	"administratief medewerkster", "timmerman", "elektromonteur", "pakketbezorger", "callcenter medewerker",
	"beveiliger", "receptioniste", "vrachtwagenchauffeur CE", "medewerker groenvoorziening", "tuinman",
	"afwasser", "helpende zorg en welzijn", "kinderopvang pedagogisch medewerker", "lasser mig mag",
	"servicedesk medewerker ict", "teamleider productie", "docent wiskunde voortgezet onderwijs",
}

// BenchmarkSearchOccupations measures one normalisation query on the full
// ESCO occupation set and reports the p99 latency.
func BenchmarkSearchOccupations(b *testing.B) {
	t := benchESCO(b)
	benchLatency(b, func(i int) { t.SearchOccupations(benchQueries[i%len(benchQueries)], 10) })
}

// benchSkillQueries are skills as people type them.
var benchSkillQueries = []string{
	"Engels spreken", "Duits schrijven", "samenwerken in een team", "klantgericht werken", "excel",
	"spreadsheetsoftware gebruiken", "programmeren in python", "computervaardigheden", "plannen",
	"probleemoplossend vermogen", "afval scheiden", "energie besparen", "stressbestendig", "nauwkeurig werken",
	"communiceren met klanten", "Nederlands begrijpen", "sql", "digitale veiligheid", "leidinggeven",
	"tijdmanagement", "presenteren", "onderhandelen", "creatief denken", "e-mail gebruiken",
}

// BenchmarkSearchSkills measures one skill query on the ESCO skills the
// export holds, with the shipped search and, in the same run, with the
// trigram TF-IDF baseline of TestSkillHoldOut (a second load of the export,
// built and asked while trigramBaseline holds).
func BenchmarkSearchSkills(b *testing.B) {
	shipped := benchESCO(b)
	b.Run("shipped", func(b *testing.B) {
		benchLatency(b, func(i int) { shipped.SearchSkills(benchSkillQueries[i%len(benchSkillQueries)], 10) })
	})
	var base *Taxonomy
	b.Run("trigram", func(b *testing.B) {
		trigramBaseline(b)
		if base == nil {
			var err error
			if base, err = LoadESCO(realESCO(b)); err != nil {
				b.Fatal(err)
			}
		}
		benchLatency(b, func(i int) { base.SearchSkills(benchSkillQueries[i%len(benchSkillQueries)], 10) })
	})
}

// benchLatency runs query b.N times and reports the p50 and p99 latency.
func benchLatency(b *testing.B, query func(i int)) {
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		query(i)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
}
