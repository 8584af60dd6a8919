package taxonomy

import (
	"path/filepath"
	"testing"

	"github.com/werkmatch/werkmatch/matcher"
)

// TestESCOTextHasNoPersonalData runs the personal-data check over every
// label, description, definition and scope note of the ESCO export: tens
// of thousands of pieces of Dutch job text, none of which carries
// personal data, so every hit is a false alarm that would refuse a
// vacancy copying such text.
func TestESCOTextHasNoPersonalData(t *testing.T) {
	dir := realESCO(t)
	files, err := filepath.Glob(filepath.Join(dir, "*_nl.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no *_nl.csv in %s: %v", dir, err)
	}
	columns := []string{"preferredLabel", "altLabels", "hiddenLabels", "description", "definition", "scopeNote"}
	texts, chars := 0, 0
	for _, f := range files {
		err := eachRow(dir, filepath.Base(f), true, func(r row) error {
			for _, c := range columns {
				v := r.get(c)
				if v == "" {
					continue
				}
				texts++
				chars += len(v)
				if kind := matcher.DetectPersonalData(v); kind != "" {
					t.Errorf("%s %s: false %s in %q", filepath.Base(f), c, kind, v)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if texts < 10000 {
		t.Fatalf("only %d texts read", texts)
	}
	t.Logf("%d texts (%d bytes) of %d files: no personal data found", texts, chars, len(files))
}
