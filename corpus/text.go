package corpus

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/werkmatch/werkmatch/matcher"
)

// Free texts are composed from the fragments below. They carry no names,
// places, dates or contact details; the only numbers are hours per week.

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func capitalise(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(c)) + s[n:]
}

var (
	wantLines = []string{
		"Zoekt werk als %s.",
		"Wil graag aan de slag als %s.",
		"Is op zoek naar een baan als %s.",
		"Ziet zichzelf graag werken als %s.",
		"Heeft interesse in werk als %s.",
	}
	alsoLines = []string{
		"Staat ook open voor werk als %s.",
		"Werk als %s lijkt ook passend.",
		"Heeft eerder kort gewerkt als %s.",
	}
	skillLines = []string{
		"Heeft ervaring met %s.",
		"Is goed in %s.",
		"Wil graag iets met %s blijven doen.",
		"Noemt %s als sterk punt.",
	}
	traitLines = []string{
		"Betrouwbaar en punctueel.",
		"Werkt graag met de handen.",
		"Houdt van afwisseling in het werk.",
		"Is graag buiten bezig.",
		"Werkt het liefst in een vast team.",
		"Leert snel door mee te kijken.",
		"Houdt van duidelijke afspraken en een vaste structuur.",
		"Is vriendelijk in de omgang met klanten.",
		"Pakt werk zelfstandig op.",
		"Heeft een positieve instelling.",
	}
	schoolHourLines = []string{
		"Beschikbaar onder schooltijden.",
		"Kan werken zolang de kinderen op school zijn.",
		"Zorgt voor de kinderen en zoekt werk onder schooltijden.",
	}
	werkenAanLines = []string{
		"Volgt een traject richting werk.",
		"Wil eerst werkervaring opdoen via een werkervaringsplaats.",
		"Werkt aan de Nederlandse taal naast het zoeken naar werk.",
		"Heeft begeleiding nodig bij de eerste stappen naar werk.",
		"Doet mee aan een leerwerktraject.",
	}
	meedoenLines = []string{
		"Doet vrijwilligerswerk in de wijk.",
		"Zoekt een zinvolle dagbesteding.",
		"Wil meedoen in de buurt, betaald werk is nu niet aan de orde.",
	}
	banenLines = []string{
		"Valt onder de banenafspraak; een jobcoach kan ondersteunen.",
		"Heeft baat bij een vaste werkplek en heldere instructies.",
		"Loonkostensubsidie is mogelijk.",
	}
	newcomerLines = []string{
		"Leert Nederlands en oefent graag op de werkvloer.",
		"Volgt een inburgeringstraject.",
		"Spreekt nog beperkt Nederlands, wil dat op het werk verbeteren.",
	}
	carLines   = []string{"Heeft een auto.", "Kan met de auto naar het werk."}
	noCarLines = []string{"Reist met fiets en openbaar vervoer.", "Gaat op de fiets naar het werk.", "Is aangewezen op het openbaar vervoer."}

	introLines = []string{
		"Voor onze vestiging zoeken wij een %s.",
		"Wij zoeken een enthousiaste %s.",
		"Ben jij onze nieuwe %s?",
		"Ons team zoekt versterking: een %s.",
	}
	workLines = []string{
		"Je werkt in een klein en gezellig team.",
		"Je krijgt een goede inwerkperiode.",
		"Ervaring is mooi meegenomen, maar niet nodig: wij leiden je op.",
		"Je werkt volgens een vast rooster.",
		"Werktijden gaan in overleg.",
		"Je werkt met vaste collega's die je op weg helpen.",
		"Het werk is afwisselend en je bent veel in beweging.",
		"Je krijgt een contract voor zes maanden met uitzicht op verlenging.",
	}
	offerLines = []string{
		"Wij bieden een salaris volgens de cao.",
		"Reiskosten worden vergoed.",
		"Wij bieden ruimte om een diploma te halen.",
		"Er is een fiets van de zaak beschikbaar.",
	}
	banenVacLines = []string{
		"Deze functie staat open voor kandidaten uit de banenafspraak; begeleiding door een jobcoach is welkom.",
		"Wij werken graag met loonkostensubsidie en een jobcoach.",
	}
	openHiringLines = []string{
		"Bij ons werkt open hiring: wie zich aanmeldt en aan de basisvoorwaarden voldoet, kan beginnen. Geen sollicitatiegesprek en geen cv.",
		"Wij werven via open hiring: de eerste aanmelders die aan de voorwaarden voldoen, krijgen de baan.",
	}
	applyLines = []string{
		"Aanmelden gaat via het werkgeversservicepunt.",
		"Interesse? Je klantmanager of de accountmanager van het werkgeversservicepunt helpt je verder.",
	}
)

func (g *Generator) occText(o int) string { return strings.ToLower(g.occs[o].label) }

func (g *Generator) profileSummary(r *rand.Rand, p *matcher.Profile, mainOcc int, occs, sk []int, h hoursRange, hasCar, newcomer bool) string {
	if r.IntN(100) < 5 {
		return ""
	}
	var b []string
	add := func(format string, args ...string) {
		s := format
		for _, a := range args {
			s = strings.Replace(s, "%s", a, 1)
		}
		b = append(b, s)
	}
	add(pick(r, wantLines), g.occText(mainOcc))
	if len(occs) > 1 {
		add(pick(r, alsoLines), g.occText(occs[1]))
	}
	if len(sk) > 0 && r.IntN(100) < 70 {
		add(pick(r, skillLines), strings.ToLower(g.skills[sk[r.IntN(len(sk))]].label))
	}
	add(pick(r, traitLines))
	if h.lo == 12 && h.hi <= 24 && r.IntN(100) < 70 {
		add(pick(r, schoolHourLines))
	} else if r.IntN(100) < 50 {
		add("Wil " + strconv.Itoa(h.lo) + " tot " + strconv.Itoa(h.hi) + " uur per week werken.")
	}
	switch p.Perspectief {
	case matcher.PerspectiefWerkenAan:
		add(pick(r, werkenAanLines))
	case matcher.PerspectiefMeedoen:
		add(pick(r, meedoenLines))
	}
	if p.Banenafspraak && r.IntN(100) < 70 {
		add(pick(r, banenLines))
	}
	if newcomer && r.IntN(100) < 70 {
		add(pick(r, newcomerLines))
	}
	if r.IntN(100) < 40 {
		if hasCar {
			add(pick(r, carLines))
		} else {
			add(pick(r, noCarLines))
		}
	}
	return strings.Join(b, " ")
}
