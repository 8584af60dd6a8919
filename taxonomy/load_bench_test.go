package taxonomy

import "testing"

// BenchmarkLoadESCO measures reading the export and building the indexes.
func BenchmarkLoadESCO(b *testing.B) {
	dir := realESCO(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := LoadESCO(dir); err != nil {
			b.Fatal(err)
		}
	}
}
