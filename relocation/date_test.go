package relocation

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	valid := map[string]string{
		"2021-06-15": "15 juin 2021",
		"2021-06-01": "1er juin 2021",
		"2024-02-29": "29 février 2024",
		"2000-02-29": "29 février 2000",
		"1900-01-01": "1er janvier 1900",
		"2200-12-31": "31 décembre 2200",
		"2021-08-31": "31 août 2021",
	}
	for in, label := range valid {
		d, err := ParseDate(in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", in, err)
			continue
		}
		if d.String() != in || d.Label() != label {
			t.Errorf("ParseDate(%q) = %q / %q, want %q / %q", in, d.String(), d.Label(), in, label)
		}
	}
	for _, in := range []string{"", "2023-02-29", "1900-02-29", "2021-06-31", "2021-04-31", "2022-13-01",
		"2022-00-10", "2022-01-00", "2021-6-15", "2021-06-15 ", " 2021-06-15", "15/06/2021",
		"1899-12-31", "2201-01-01", "+021-06-15", "2021/06/15", "abc", "2021-06-1a"} {
		if d, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) = %v, want error", in, d)
		} else if !strings.Contains(err.Error(), "AAAA-MM-JJ") {
			t.Errorf("ParseDate(%q) error %q does not name the format", in, err)
		}
	}
}

func TestParseDateInput(t *testing.T) {
	cases := map[string]string{
		"2021-06-15":        "2021-06-15",
		" 15/06/2021 ":      "2021-06-15",
		"1/6/2021":          "2021-06-01",
		"15 juin 2021":      "2021-06-15",
		"1er juin 2021":     "2021-06-01",
		"1 JUIN 2021":       "2021-06-01",
		"  3   aout  2021 ": "2021-08-03",
		"28 Février 2023":   "2023-02-28",
		"29 fevrier 2024":   "2024-02-29",
		"31 decembre 2021":  "2021-12-31",
		"15.03.2024":        "2024-03-15", // as German and Swiss forms write it
		"15-06-2021":        "2021-06-15",
	}
	for in, want := range cases {
		d, err := ParseDateInput(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseDateInput(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
	for _, in := range []string{"", "29/02/2023", "31 juin 2021", "15 jui 2021", "2er juin 2021",
		"15/06/21", "015/06/2021", "juin 2021", "15 juin", "15.06-2021", "15..06.2021", "15.06.21", "1_5/06/2021"} {
		if d, err := ParseDateInput(in); err == nil {
			t.Errorf("ParseDateInput(%q) = %v, want error", in, d)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	d := Date{2024, time.February, 28}
	cases := []struct {
		n    int
		want string
	}{{1, "2024-02-29"}, {2, "2024-03-01"}, {-59, "2023-12-31"}, {366, "2025-02-28"}, {0, "2024-02-28"}}
	for _, c := range cases {
		got := d.AddDays(c.n)
		if got.String() != c.want {
			t.Errorf("AddDays(%d) = %s, want %s", c.n, got, c.want)
		}
		if got.DaysSince(d) != c.n {
			t.Errorf("DaysSince = %d, want %d", got.DaysSince(d), c.n)
		}
	}
	if n := (Date{1900, 3, 1}).DaysSince(Date{1900, 2, 28}); n != 1 {
		t.Errorf("1900 is not a leap year: got %d days", n)
	}
	if n := (Date{2000, 3, 1}).DaysSince(Date{2000, 2, 28}); n != 2 {
		t.Errorf("2000 is a leap year: got %d days", n)
	}
	a, b := Date{2021, 6, 15}, Date{2021, 7, 1}
	if !a.Before(b) || a.After(b) || !b.After(a) || b.Before(a) || a.Before(a) || a.After(a) {
		t.Error("Before/After wrong")
	}
	if !(Date{}).IsZero() || a.IsZero() || (Date{}).String() != "" || (Date{}).Label() != "" {
		t.Error("zero value wrong")
	}
	if got := a.Time(); !got.Equal(time.Date(2021, 6, 15, 0, 0, 0, 0, time.UTC)) || got.Location() != time.UTC {
		t.Errorf("Time() = %v", got)
	}
}

func TestTodayAndDateOf(t *testing.T) {
	cases := []struct {
		now  time.Time
		want string
	}{
		{time.Date(2021, 6, 14, 23, 30, 0, 0, time.UTC), "2021-06-15"}, // CEST, UTC+2
		{time.Date(2021, 6, 14, 21, 59, 0, 0, time.UTC), "2021-06-14"},
		{time.Date(2021, 12, 31, 22, 59, 0, 0, time.UTC), "2021-12-31"}, // CET, UTC+1
		{time.Date(2021, 12, 31, 23, 0, 0, 0, time.UTC), "2022-01-01"},
	}
	for _, c := range cases {
		if got := Today(c.now); got.String() != c.want {
			t.Errorf("Today(%v) = %s, want %s", c.now, got, c.want)
		}
	}
	ny := time.FixedZone("EDT", -4*3600)
	if got := DateOf(time.Date(2021, 6, 14, 23, 30, 0, 0, ny)); got.String() != "2021-06-14" {
		t.Errorf("DateOf = %s", got)
	}
}

func TestDateJSON(t *testing.T) {
	type wrap struct {
		Actual Date `json:"actual"`
	}
	b, err := json.Marshal(wrap{Date{2021, 6, 15}})
	if err != nil || string(b) != `{"actual":"2021-06-15"}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	b, _ = json.Marshal(wrap{})
	if string(b) != `{"actual":null}` {
		t.Errorf("Marshal zero = %s", b)
	}
	var w wrap
	if err := json.Unmarshal([]byte(`{"actual":"2024-02-29"}`), &w); err != nil || w.Actual != (Date{2024, 2, 29}) {
		t.Errorf("Unmarshal = %v, %v", w, err)
	}
	w.Actual = Date{2021, 1, 1}
	if err := json.Unmarshal([]byte(`{"actual":null}`), &w); err != nil || !w.Actual.IsZero() {
		t.Errorf("Unmarshal null = %v, %v", w, err)
	}
	for _, in := range []string{`{"actual":"2023-02-29"}`, `{"actual":"15/06/2021"}`, `{"actual":20210615}`, `{"actual":""}`} {
		if err := json.Unmarshal([]byte(in), &w); err == nil || !strings.Contains(err.Error(), "date invalide") {
			t.Errorf("Unmarshal(%s) error = %v", in, err)
		}
	}
}

func TestDateSQL(t *testing.T) {
	d := Date{2021, 6, 15}
	v, err := d.Value()
	if err != nil || !v.(time.Time).Equal(time.Date(2021, 6, 15, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("Value = %v, %v", v, err)
	}
	for _, src := range []any{v, "2021-06-15", []byte("2021-06-15"), "2021-06-15T00:00:00Z", "2021-06-15 00:00:00+00:00"} {
		var got Date
		if err := got.Scan(src); err != nil || got != d {
			t.Errorf("Scan(%#v) = %v, %v", src, got, err)
		}
	}
	if v, err := (Date{}).Value(); v != nil || err != nil {
		t.Errorf("zero Value = %v, %v", v, err)
	}
	got := d
	if err := got.Scan(nil); err != nil || !got.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", got, err)
	}
	if err := got.Scan(42); err == nil {
		t.Error("Scan(42) should fail")
	}
	if err := got.Scan("2021-02-30"); err == nil {
		t.Error(`Scan("2021-02-30") should fail`)
	}
}
