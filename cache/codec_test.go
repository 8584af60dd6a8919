package cache

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/golang/snappy"
	"github.com/werkmatch/werkmatch/matcher"
)

// sampleResult is a realistic top-n answer: ESCO URIs, explanations.
func sampleResult(n int, tag string) *matcher.MatchResult {
	res := &matcher.MatchResult{
		Weights:    matcher.DefaultWeights,
		Considered: 12000 + n,
		Scored:     800 + n,
		Results:    make([]matcher.Match, n),
	}
	for i := range res.Results {
		res.Results[i] = matcher.Match{
			ProfileID: fmt.Sprintf("%s-p%06d", tag, i),
			Score:     0.9 - float64(i)/1000,
			Explanation: matcher.Explanation{
				MatchedSkills: []string{
					"http://data.europa.eu/esco/skill/0f2a3c6e-9b1d-4b1e-8d5e-1c2f0e3a4b5c",
					"http://data.europa.eu/esco/skill/7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
				},
				MissingSkills: []string{"http://data.europa.eu/esco/skill/aa11bb22-cc33-dd44-ee55-ff6677889900"},
				Occupation:    "isco3",
				DistanceKm:    float64(i%30) + 0.4,
				HoursOverlap:  24,
				Components:    matcher.Components{Skills: 0.66, Occupation: 0.5, Branch: 1, Hours: 0.8, Distance: 0.7, Language: 1, Education: 1},
				Contributions: matcher.Components{Skills: 0.231, Occupation: 0.1, Branch: 0.1, Hours: 0.08, Distance: 0.105, Language: 0.05, Education: 0.05},
			},
		}
	}
	return res
}

// fill sets every field reachable from v to a non-zero value, so a field
// added to MatchResult and forgotten by the codec fails the round trip.
func fill(v reflect.Value, seed *int) {
	*seed++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *seed))
	case reflect.Float64, reflect.Float32:
		v.SetFloat(float64(*seed) + 0.25)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*seed) * -3)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), seed)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), seed)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), seed)
		}
		v.Set(s)
	default:
		panic("codec test: unhandled kind " + v.Kind().String() + ": teach fill and the codec")
	}
}

func TestCodecCoversEveryField(t *testing.T) {
	var full matcher.MatchResult
	seed := 0
	fill(reflect.ValueOf(&full).Elem(), &seed)
	got, err := decodeResult(encodeResult(nil, &full))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &full) {
		t.Fatalf("round trip lost data (a new field?)\n got %+v\nwant %+v", got, &full)
	}
}

func TestCodecRoundTrip(t *testing.T) {
	for _, res := range []*matcher.MatchResult{
		{},
		{Results: []matcher.Match{}},
		{Results: []matcher.Match{{VacancyID: "v1", Explanation: matcher.Explanation{MatchedSkills: []string{}, OpenHiring: &matcher.OpenHiring{}}}}},
		sampleResult(20, "a"),
		sampleResult(200, "b"),
	} {
		got, err := decodeResult(encodeResult(nil, res))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, res) {
			t.Fatalf("round trip differs\n got %+v\nwant %+v", got, res)
		}
	}
}

func TestCodecRejectsCorrupt(t *testing.T) {
	enc := encodeResult(nil, sampleResult(5, "c"))
	raw, _ := snappy.Decode(nil, enc[1:])
	cases := [][]byte{nil, {}, {99}, {codecVersion}, enc[:len(enc)/2], append(append([]byte{}, enc...), 0)}
	// Every truncation of the uncompressed payload must fail, never panic.
	for i := 0; i < len(raw); i += 7 {
		cases = append(cases, append([]byte{codecVersion}, snappy.Encode(nil, raw[:i])...))
	}
	for i, c := range cases {
		if _, err := decodeResult(c); err == nil {
			t.Errorf("case %d: corrupt entry decoded", i)
		}
	}
}

func FuzzDecodeResult(f *testing.F) {
	f.Add(encodeResult(nil, sampleResult(2, "f")))
	f.Add([]byte{codecVersion, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := decodeResult(b)
		if err != nil {
			return
		}
		// What decodes must encode back to something that decodes equal.
		again, err := decodeResult(encodeResult(nil, res))
		if err != nil || !reflect.DeepEqual(again, res) {
			t.Fatalf("re-encoding differs: %v", err)
		}
	})
}

// TestCodecSize logs the encoded size against JSON, for the report.
func TestCodecSize(t *testing.T) {
	res := sampleResult(20, "size")
	js, _ := json.Marshal(res)
	bin := encodeResult(nil, res)
	t.Logf("top-20 answer: binary+snappy %d B, JSON %d B, JSON+snappy %d B", len(bin), len(js), len(snappy.Encode(nil, js)))
	if len(bin) >= len(js)/2 {
		t.Errorf("binary encoding %d B is not much smaller than JSON %d B", len(bin), len(js))
	}
}

func BenchmarkCodec(b *testing.B) {
	res := sampleResult(20, "bench")
	b.Run("binary/encode", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = encodeResult(buf[:0], res)
		}
	})
	enc := encodeResult(nil, res)
	b.Run("binary/decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeResult(enc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json+snappy/encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			js, _ := json.Marshal(res)
			_ = snappy.Encode(nil, js)
		}
	})
	js, _ := json.Marshal(res)
	sj := snappy.Encode(nil, js)
	b.Run("json+snappy/decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			raw, _ := snappy.Decode(nil, sj)
			var r matcher.MatchResult
			if err := json.Unmarshal(raw, &r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
