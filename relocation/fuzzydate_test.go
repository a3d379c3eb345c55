package relocation

import (
	"encoding/json"
	"strings"
	"testing"
)

// fuzzyForms lists canonical values with their hand-written label and interval.
var fuzzyForms = []struct{ value, label, start, end string }{
	{"2021-06-15", "15 juin 2021", "2021-06-15", "2021-06-15"},
	{"2021-06-01", "1er juin 2021", "2021-06-01", "2021-06-01"},
	{"2024-02-29", "29 février 2024", "2024-02-29", "2024-02-29"},
	{"2021-06", "juin 2021", "2021-06-01", "2021-06-30"},
	{"2021-01", "janvier 2021", "2021-01-01", "2021-01-31"},
	{"2021-04", "avril 2021", "2021-04-01", "2021-04-30"},
	{"2021-08", "août 2021", "2021-08-01", "2021-08-31"},
	{"2021-12", "décembre 2021", "2021-12-01", "2021-12-31"},
	{"2023-02", "février 2023", "2023-02-01", "2023-02-28"},
	{"2024-02", "février 2024", "2024-02-01", "2024-02-29"},
	{"1900-02", "février 1900", "1900-02-01", "1900-02-28"},
	{"2000-02", "février 2000", "2000-02-01", "2000-02-29"},
	{"2022-Q1", "1er trimestre 2022", "2022-01-01", "2022-03-31"},
	{"2022-Q2", "2e trimestre 2022", "2022-04-01", "2022-06-30"},
	{"2022-Q3", "3e trimestre 2022", "2022-07-01", "2022-09-30"},
	{"2022-Q4", "4e trimestre 2022", "2022-10-01", "2022-12-31"},
	{"2022-S1", "1er semestre 2022", "2022-01-01", "2022-06-30"},
	{"2022-S2", "2e semestre 2022", "2022-07-01", "2022-12-31"},
	{"2022-early", "début 2022", "2022-01-01", "2022-04-30"},
	{"2022-mid", "mi-2022", "2022-05-01", "2022-08-31"},
	{"2022-late", "fin 2022", "2022-09-01", "2022-12-31"},
	{"2022", "2022", "2022-01-01", "2022-12-31"},
	{"1900", "1900", "1900-01-01", "1900-12-31"},
	{"2200-late", "fin 2200", "2200-09-01", "2200-12-31"},
}

func TestFuzzyDateForms(t *testing.T) {
	for _, f := range fuzzyForms {
		d, err := ParseFuzzyDate(f.value)
		if err != nil {
			t.Errorf("ParseFuzzyDate(%q): %v", f.value, err)
			continue
		}
		got := [4]string{d.String(), d.Label(), d.Start().String(), d.End().String()}
		if want := [4]string{f.value, f.label, f.start, f.end}; got != want {
			t.Errorf("ParseFuzzyDate(%q) = %q, want %q", f.value, got, want)
		}
		if in, err := ParseFuzzyDateInput(f.label); err != nil || in != d {
			t.Errorf("ParseFuzzyDateInput(%q) = %+v, %v; want %+v", f.label, in, err, d)
		}
		if in, err := ParseFuzzyDateInput(f.value); err != nil || in != d {
			t.Errorf("ParseFuzzyDateInput(%q) = %+v, %v; want %+v", f.value, in, err, d)
		}
	}
}

func TestFuzzyDateFields(t *testing.T) {
	cases := map[string]FuzzyDate{
		"2021-06-15": {Precision: PrecisionDay, Year: 2021, Month: 6, Day: 15},
		"2021-06":    {Precision: PrecisionMonth, Year: 2021, Month: 6},
		"2022-Q3":    {Precision: PrecisionQuarter, Year: 2022, Part: 3},
		"2022-S2":    {Precision: PrecisionSemester, Year: 2022, Part: 2},
		"2022-early": {Precision: PrecisionEarly, Year: 2022},
		"2022-mid":   {Precision: PrecisionMid, Year: 2022},
		"2022-late":  {Precision: PrecisionLate, Year: 2022},
		"2022":       {Precision: PrecisionYear, Year: 2022},
	}
	for in, want := range cases {
		if got, err := ParseFuzzyDate(in); err != nil || got != want {
			t.Errorf("ParseFuzzyDate(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	var zero FuzzyDate
	if !zero.IsZero() || zero.String() != "" || zero.Label() != "" || !zero.Start().IsZero() || !zero.End().IsZero() {
		t.Error("zero value wrong")
	}
}

func TestParseFuzzyDateInvalid(t *testing.T) {
	for _, in := range []string{"2022-Q5", "2022-Q0", "2022-S3", "2022-S0", "2022-13", "2022-6", "22", "2022-early ",
		" 2022", "début", "", "2022-00", "2021-06-31", "2023-02-29", "1900-02-29", "abc", "2022-q1", "2022-s1",
		"2022-EARLY", "2022-Early", "1899", "2201", "+2022", "2022-", "2022-T1", "T1 2022", "juin 2021",
		"15/06/2021", "2022-06-1", "02022", "2022-Q12", "2022-early-", "2022-06-15T00:00:00Z"} {
		d, err := ParseFuzzyDate(in)
		if err == nil {
			t.Errorf("ParseFuzzyDate(%q) = %+v, want error", in, d)
			continue
		}
		if msg := err.Error(); msg != "date invalide : formes acceptées "+FuzzyDateForms {
			t.Errorf("ParseFuzzyDate(%q) error = %q", in, msg)
		}
	}
}

func TestParseFuzzyDateInput(t *testing.T) {
	cases := map[string]string{
		"15 juin 2021":            "2021-06-15",
		"1er juin 2021":           "2021-06-01",
		"1 juin 2021":             "2021-06-01",
		"15/06/2021":              "2021-06-15",
		"1/6/2021":                "2021-06-01",
		"29/02/2024":              "2024-02-29",
		"juin 2021":               "2021-06",
		"  Juin   2021 ":          "2021-06",
		"fevrier 2023":            "2023-02",
		"FÉVRIER 2023":            "2023-02",
		"aout 2021":               "2021-08",
		"decembre 2021":           "2021-12",
		"1er trimestre 2022":      "2022-Q1",
		"1ère trimestre 2022":     "2022-Q1",
		"2e trimestre 2022":       "2022-Q2",
		"2ème trimestre 2022":     "2022-Q2",
		"2ᵉ trimestre 2022":       "2022-Q2",
		"3e trimestre 2022":       "2022-Q3",
		"4e Trimestre 2022":       "2022-Q4",
		"1er semestre 2022":       "2022-S1",
		"2nd semestre 2022":       "2022-S2",
		"2e semestre 2022":        "2022-S2",
		"T1 2022":                 "2022-Q1",
		"t4 2022":                 "2022-Q4",
		"S1 2022":                 "2022-S1",
		"s2  2022":                "2022-S2",
		"début 2022":              "2022-early",
		"debut 2022":              "2022-early",
		"DÉBUT 2022":              "2022-early",
		"de\u0301but 2022":        "2022-early",
		"mi-2022":                 "2022-mid",
		"mi 2022":                 "2022-mid",
		"mi–2022":                 "2022-mid",
		"fin 2022":                "2022-late",
		"\u00a0fin\u00a02022\t":   "2022-late",
		"2022":                    "2022",
		" 2022-q1 ":               "2022-Q1",
		"2022-EARLY":              "2022-early",
		"2021-06-15":              "2021-06-15",
		"1er   trimestre    2022": "2022-Q1",
	}
	for in, want := range cases {
		d, err := ParseFuzzyDateInput(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseFuzzyDateInput(%q) = %q, %v; want %q", in, d.String(), err, want)
		}
	}
	for _, in := range []string{"", "début", "fin", "mi-", "T5 2022", "S3 2022", "5e trimestre 2022",
		"3e semestre 2022", "2er trimestre 2022", "1nd semestre 2022", "29/02/2023", "31 juin 2021",
		"juin", "juin 21", "15 juin", "T1", "trimestre 2022", "abc", "2022-Q5", "milieu 2022", "2022 début",
		"0e trimestre 2022", "10e trimestre 2022", "1er trimestre", "32/01/2022", "15/13/2021"} {
		d, err := ParseFuzzyDateInput(in)
		if err == nil {
			t.Errorf("ParseFuzzyDateInput(%q) = %q, want error", in, d.String())
			continue
		}
		if msg := err.Error(); msg != "date non reconnue : écrivez par exemple "+FuzzyDateInputForms ||
			!strings.Contains(msg, "« T1 2022 »") {
			t.Errorf("ParseFuzzyDateInput(%q) error = %q", in, msg)
		}
	}
}

func TestFuzzyDateJSON(t *testing.T) {
	type wrap struct {
		Planned FuzzyDate `json:"planned"`
	}
	d, _ := ParseFuzzyDate("2022-early")
	b, err := json.Marshal(wrap{d})
	want := `{"planned":{"value":"2022-early","label":"début 2022","start":"2022-01-01","end":"2022-04-30"}}`
	if err != nil || string(b) != want {
		t.Errorf("Marshal = %s, %v; want %s", b, err, want)
	}
	if b, _ := json.Marshal(wrap{}); string(b) != `{"planned":null}` {
		t.Errorf("Marshal zero = %s", b)
	}
	var w wrap
	if err := json.Unmarshal([]byte(`{"planned":"2022-Q1"}`), &w); err != nil || w.Planned.String() != "2022-Q1" {
		t.Errorf("Unmarshal = %+v, %v", w, err)
	}
	if err := json.Unmarshal(b, &w); err != nil || w.Planned != d {
		t.Errorf("Unmarshal of Marshal output = %+v, %v", w, err)
	}
	if err := json.Unmarshal([]byte(`{"planned":null}`), &w); err != nil || !w.Planned.IsZero() {
		t.Errorf("Unmarshal null = %+v, %v", w, err)
	}
	for _, in := range []string{`{"planned":"début 2022"}`, `{"planned":"2022-Q5"}`, `{"planned":2022}`,
		`{"planned":""}`, `{"planned":{}}`, `{"planned":true}`} {
		if err := json.Unmarshal([]byte(in), &w); err == nil || !strings.Contains(err.Error(), FuzzyDateForms) {
			t.Errorf("Unmarshal(%s) error = %v", in, err)
		}
	}
	if _, err := json.Marshal(FuzzyDate{Precision: PrecisionQuarter, Year: 2022, Part: 7}); err == nil {
		t.Error("Marshal of an invalid FuzzyDate should fail")
	}
}

func TestFuzzyDateSQL(t *testing.T) {
	for _, f := range fuzzyForms {
		d, _ := ParseFuzzyDate(f.value)
		v, err := d.Value()
		if err != nil || v != f.value {
			t.Errorf("Value(%s) = %v, %v", f.value, v, err)
		}
		var got, gotBytes FuzzyDate
		if err := got.Scan(v); err != nil || got != d {
			t.Errorf("Scan(%q) = %+v, %v", v, got, err)
		}
		if err := gotBytes.Scan([]byte(f.value)); err != nil || gotBytes != d {
			t.Errorf("Scan([]byte %q) = %+v, %v", f.value, gotBytes, err)
		}
	}
	if v, err := (FuzzyDate{}).Value(); v != nil || err != nil {
		t.Errorf("zero Value = %v, %v", v, err)
	}
	if _, err := (FuzzyDate{Precision: "week", Year: 2022}).Value(); err == nil {
		t.Error("Value of an invalid FuzzyDate should fail")
	}
	d := FuzzyDate{Precision: PrecisionYear, Year: 2022}
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %+v, %v", d, err)
	}
	if err := d.Scan(12); err == nil {
		t.Error("Scan(12) should fail")
	}
	if err := d.Scan("2022-Q5"); err == nil {
		t.Error(`Scan("2022-Q5") should fail`)
	}
}

func TestSlipDays(t *testing.T) {
	cases := []struct {
		baseline, current string
		want              int
	}{
		{"2022-early", "2022-mid", 123}, // 2022-04-30 -> 2022-08-31
		{"2021-06", "2021-06-15", -15},  // 2021-06-30 -> 2021-06-15
		{"2022-mid", "2022-early", -123},
		{"2022-Q1", "2022-Q1", 0},
		{"2024-02-01", "2024-02", 28}, // leap year: 2024-02-29
		{"2023-02-01", "2023-02", 27}, // 2023-02-28
		{"2023-late", "2024-late", 366},
		{"2022-S1", "2022", 184},          // 2022-06-30 -> 2022-12-31
		{"2021-12-31", "2022-Q1", 90},     // 31 + 28 + 31
		{"2023-Q4", "2024-Q1", 91},        // 31 + 29 + 31
		{"2019-11-15", "2022-early", 897}, // 15 + 31 + 366 (2020) + 365 + 120 (Jan-Apr 2022)
	}
	for _, c := range cases {
		b, err1 := ParseFuzzyDate(c.baseline)
		cur, err2 := ParseFuzzyDate(c.current)
		if err1 != nil || err2 != nil {
			t.Fatalf("parse: %v %v", err1, err2)
		}
		if got := SlipDays(b, cur); got != c.want {
			t.Errorf("SlipDays(%s, %s) = %d, want %d", c.baseline, c.current, got, c.want)
		}
	}
	if got := SlipDays(FuzzyDate{}, FuzzyDate{Precision: PrecisionYear, Year: 2022}); got != 0 {
		t.Errorf("SlipDays with zero baseline = %d", got)
	}
}

// checkFuzzyDate checks the invariants every accepted FuzzyDate must hold.
func checkFuzzyDate(t *testing.T, in string, v FuzzyDate) {
	t.Helper()
	if v.IsZero() {
		t.Fatalf("%q: accepted the zero value", in)
	}
	if p, err := ParseFuzzyDate(v.String()); err != nil || p != v {
		t.Fatalf("%q: ParseFuzzyDate(%q) = %+v, %v; want %+v", in, v.String(), p, err, v)
	}
	if p, err := ParseFuzzyDateInput(v.Label()); err != nil || p != v {
		t.Fatalf("%q: ParseFuzzyDateInput(%q) = %+v, %v; want %+v", in, v.Label(), p, err, v)
	}
	if s, e := v.Start(), v.End(); s.IsZero() || e.IsZero() || s.After(e) {
		t.Fatalf("%q: interval %s..%s", in, s, e)
	}
	b, err := json.Marshal(v)
	var back FuzzyDate
	if err != nil || json.Unmarshal(b, &back) != nil || back != v {
		t.Fatalf("%q: JSON round trip %s -> %+v, %v", in, b, back, err)
	}
}

func addFuzzyDateSeeds(f *testing.F) {
	for _, fm := range fuzzyForms {
		f.Add(fm.value)
		f.Add(fm.label)
	}
	for _, s := range []string{"T1 2022", "S2 2022", "15/06/2021", "1/6/2021", "2ème trimestre 2022",
		"debut 2022", " mi-2022 ", "2022-q1", "2022-Q5", "2021-06-31", "", "abc", "1er juin 2021"} {
		f.Add(s)
	}
}

func FuzzParseFuzzyDate(f *testing.F) {
	addFuzzyDateSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseFuzzyDate(s)
		if err != nil {
			return
		}
		if v.String() != s {
			t.Fatalf("ParseFuzzyDate(%q) accepted a non-canonical form (%q)", s, v.String())
		}
		checkFuzzyDate(t, s, v)
	})
}

func FuzzParseFuzzyDateInput(f *testing.F) {
	addFuzzyDateSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseFuzzyDateInput(s)
		if err != nil {
			return
		}
		checkFuzzyDate(t, s, v)
		if c, err := ParseFuzzyDate(s); err == nil && c != v {
			t.Fatalf("%q: input %+v differs from canonical %+v", s, v, c)
		}
	})
}
