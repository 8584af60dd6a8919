package taxonomy

import (
	"slices"
	"testing"
)

func TestOneSlip(t *testing.T) {
	cases := []struct {
		typed, word string
		want        bool
	}{
		{"kapper", "kapper", false},
		{"kaper", "kapper", true},             // left out
		{"apper", "kapper", true},             // left out, first letter
		{"kappper", "kapper", true},           // extra key: doubled
		{"kaopper", "kapper", true},           // extra key: o is beside p
		{"kaxpper", "kapper", false},          // x is beside neither a nor p
		{"kapler", "kapper", true},            // wrong key: l is beside p
		{"haarstilist", "haarstylist", true},  // i for y sounds alike
		{"schoenmaker", "schoonmaker", false}, // e is far from o: another word
		{"tapper", "kapper", false},
		{"akpper", "kapper", true},    // swapped at the start
		{"kappre", "kapper", true},    // swapped at the end
		{"kpaepr", "kapper", false},   // two swaps
		{"kapperij", "kapper", false}, // two too many
		{"kapper", "kapperij", false},
		{"lapler", "kapper", false}, // two wrong
	}
	for _, c := range cases {
		if got := oneSlip(c.typed, c.word); got != c.want {
			t.Errorf("oneSlip(%q, %q) = %v, want %v", c.typed, c.word, got, c.want)
		}
	}
}

func TestSpellerCorrect(t *testing.T) {
	sp := newSpeller(map[string]int{"kapper": 3, "bakker": 5, "makker": 1, "kok": 9, "monteur": 2,
		"bibliotheekmedewerker": 2, "mijngeoloog": 1, "heftruckchauffeur": 4})
	for q, want := range map[string]string{
		"akpper":  "kapper",
		"kaper":   "kapper",
		"monteru": "monteur",
		"hakker":  "bakker", // bakker and makker are one slip away; bakker is in more labels
		"kokk":    "",       // kok is too short to correct to
		"kapperr": "kapper",
		"bkkr":    "",
		"timmer":  "",
		// two slips, in words of ten letters or more only
		"bibliothekmedewreker": "bibliotheekmedewerker",
		"hefturckchaufeur":     "heftruckchauffeur",
		"maangeoloog":          "", // two changes at the start: another word, not slips
		"montuer":              "monteur",
		"mnotuer":              "", // too short for two slips
	} {
		if got := sp.correct(q); got != want {
			t.Errorf("correct(%q) = %q, want %q", q, got, want)
		}
	}
}

// TestSpellBuiltin: slipped titles that the weaker edit-distance stand-ins
// alone do not bring to the top find their occupation in the shipped
// vocabulary, and a word the vocabulary knows, or a compound of known
// words, is left as typed.
func TestSpellBuiltin(t *testing.T) {
	tx := Builtin()
	for q, want := range map[string]string{
		"akpper":   "kapper",
		"salger":   "slager",
		"oppreman": "bouwvakker", // opperman is one of its labels
	} {
		got := tx.SearchOccupations(q, 1)
		if len(got) == 0 || got[0].Label != want {
			t.Errorf("SearchOccupations(%q) = %v, want %s first", q, got, want)
		}
	}
	ix := tx.occIdx
	// Real words the vocabulary lacks, one letter from a label word but not
	// by a plausible slip, stay as typed too.
	for _, toks := range [][]string{{"magazijnmedewerker"}, {"magazijn", "kok"}, {"heftruckmagazijn"},
		{"schoenmaker"}, {"tapper"}, {"stuwadoor"}, {"soldeerder"}} {
		if got := ix.spellToks(toks); &got[0] != &toks[0] {
			t.Errorf("spellToks(%q) = %q: changed what needs no correction", toks, got)
		}
	}
	if got := ix.spellToks([]string{"magazjinmedewerker"}); got[0] != "magazijnmedewerker" {
		t.Errorf("spellToks(magazjinmedewerker) = %q", got)
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b      string
		max, want int
	}{
		{"kapper", "kapper", 2, 0},
		{"akpper", "kapper", 2, 1}, // a swap is one slip
		{"kapper", "kaper", 2, 1},
		{"kapper", "kapler", 2, 1},
		{"kpaepr", "kapper", 2, 2},
		{"bibliothekmedewreker", "bibliotheekmedewerker", 2, 2},
		{"aaaa", "bbbb", 1, 2}, // gives up at max+1
		{"kapper", "kapperijen", 2, 3},
		{"ca", "abc", 3, 3}, // optimal string alignment: no edit inside a swap
	}
	for _, c := range cases {
		if got := editDistance(c.a, c.b, c.max, false); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.max, got, c.want)
		}
	}
	// As slips of a typed word: a far wrong letter, or an extra letter far
	// from both its neighbours, counts two.
	for _, c := range []struct {
		typed, word string
		want        int
	}{
		{"schoenmaker", "schoonmaker", 3}, // e for o: far, and e is no extra key beside o or n
		{"schoonmakrr", "schoonmaker", 1}, // r beside e
		{"bibliothekmedewreker", "bibliotheekmedewerker", 2},
		{"soldeerder", "sorteerder", 3},
		{"haarstilistr", "haarstylist", 2},
	} {
		if got := editDistance(c.typed, c.word, 2, true); got != c.want {
			t.Errorf("editDistance(%q, %q, 2, slips) = %d, want %d", c.typed, c.word, got, c.want)
		}
	}
}

// TestJoinBuiltin: two words glue into a compound label word when one of
// them is no label word on its own, and not otherwise.
func TestJoinBuiltin(t *testing.T) {
	tx := Builtin()
	ix := tx.occIdx
	for _, c := range []struct{ in, want []string }{
		{[]string{"pakket", "chauffeur"}, []string{"pakketchauffeur"}},
		{[]string{"ervaren", "spoel", "keukenmedewerker"}, []string{"ervaren", "spoelkeukenmedewerker"}},
		{[]string{"keuken", "medewerker"}, []string{"keuken", "medewerker"}}, // both label words: their parts already meet
		{[]string{"chauffeur"}, []string{"chauffeur"}},
	} {
		if got := ix.joinToks(c.in); !slices.Equal(got, c.want) {
			t.Errorf("joinToks(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	a, b := tx.SearchOccupations("pakket chauffeur", 1), tx.SearchOccupations("pakketchauffeur", 1)
	if len(a) == 0 || len(b) == 0 || a[0].URI != b[0].URI {
		t.Errorf("pakket chauffeur: %v, pakketchauffeur: %v", a, b)
	}
}
