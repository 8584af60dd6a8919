package index

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/nl"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// analyzerName is the analyzer of every free-text field: Bleve's Dutch
// analyzer (unicode tokens, lower case, Dutch stop words, Snowball Dutch
// stemmer) followed by agentFilter.
const analyzerName = "werkmatch_nl"

// agentFilterName names the token filter that folds Dutch agent nouns onto
// their verb stem.
const agentFilterName = "werkmatch_nl_agent"

func init() {
	if err := registry.RegisterTokenFilter(agentFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return agentFilter{}, nil
	}); err != nil {
		panic(err)
	}
}

func addAnalyzer(im *mapping.IndexMappingImpl) error {
	return im.AddCustomAnalyzer(analyzerName, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []interface{}{lowercase.Name, nl.StopName, nl.SnowballStemmerName, agentFilterName},
	})
}

// agentFilter runs after the Snowball stemmer. Snowball leaves agent nouns
// alone ("schoonmaker", "schoonmaakster") while it cuts verbs to their stem
// ("schoonmaken" -> "schoonmak"), and job search needs them to meet. It
// drops the suffix -ster or -er, then undoes the Dutch spelling of a closed
// syllable (a final double consonant becomes single: "bakk" -> "bak"; a
// long vowel before the final consonant becomes single: "schoonmaak" ->
// "schoonmak"). Words shorter than six letters are left alone.
type agentFilter struct{}

func (agentFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	for _, t := range ts {
		t.Term = foldAgent(t.Term)
	}
	return ts
}

func foldAgent(term []byte) []byte {
	s := string(term)
	if utf8.RuneCountInString(s) < 6 {
		return term
	}
	switch {
	case strings.HasSuffix(s, "ster") && len(s) >= 8:
		s = s[:len(s)-4]
	case strings.HasSuffix(s, "er") && !strings.HasSuffix(s, "eer") && !strings.HasSuffix(s, "ier"):
		s = s[:len(s)-2]
	}
	n := len(s)
	if n >= 2 && s[n-1] == s[n-2] && isConsonant(s[n-1]) {
		s = s[:n-1]
		n--
	}
	if n >= 4 && isConsonant(s[n-1]) && s[n-2] == s[n-3] && strings.IndexByte("aeou", s[n-2]) >= 0 && !isVowel(s[n-4]) {
		s = s[:n-2] + s[n-1:]
	}
	if s == string(term) {
		return term
	}
	return []byte(s)
}

func isVowel(c byte) bool     { return strings.IndexByte("aeiouy", c) >= 0 }
func isConsonant(c byte) bool { return c >= 'a' && c <= 'z' && !isVowel(c) }
