package taxonomy

import (
	"encoding/csv"
	"os"
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
	columns := map[string]bool{"preferredLabel": true, "altLabels": true, "hiddenLabels": true,
		"description": true, "definition": true, "scopeNote": true}
	texts, chars := 0, 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(fh)
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, row := range rows[1:] {
			for i, v := range row {
				if i >= len(rows[0]) || !columns[rows[0][i]] || v == "" {
					continue
				}
				texts++
				chars += len(v)
				if kind := matcher.DetectPersonalData(v); kind != "" {
					t.Errorf("%s %s: false %s in %q", filepath.Base(f), rows[0][i], kind, v)
				}
			}
		}
	}
	if texts < 10000 {
		t.Fatalf("only %d texts read", texts)
	}
	t.Logf("%d texts (%d bytes) of %d files: no personal data found", texts, chars, len(files))
}
