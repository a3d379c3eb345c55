package relocation

import (
	"math"
	"strings"
	"testing"
)

// TestParseNumberInput: numbers as people type them (grouped by spaces of any width,
// decimal comma or point, a unit of the field) are read; anything but decimal notation
// (1_6 and 0x1p4, which strconv reads as 16) is refused, and so are subnormals.
func TestParseNumberInput(t *testing.T) {
	units := []string{"%", "€", "EUR"}
	for in, want := range map[string]float64{
		"35 %":                35,
		"35%":                 35,
		"35\u00a0%":           35,
		"150 000 €":           150000,
		"150\u00a0000\u00a0€": 150000,
		"150\u202f000,50":     150000.5,
		"150 000,50 EUR":      150000.5,
		"1 234 567.25":        1234567.25,
		"12,5":                12.5,
		"-3":                  -3,
		"−2,5":                -2.5,
		"+7":                  7,
		"0":                   0,
		"-0":                  0,
		"007":                 7,
		" 42 ":                42,
		"0,000000001":         1e-9,
		"999 999 999 999 999": 999999999999999,
	} {
		got, err := ParseNumberInput(in, units...)
		if err != nil || got != want || (want == 0 && math.Signbit(got)) {
			t.Errorf("ParseNumberInput(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1_6", "0x1p4", "0x10", "1e3", "1E3", "Inf", "NaN", "infinity", "1,2,3", "1.234,5",
		"1 23", "12 3456", "1  000", ",5", "5,", "abc", "35 % %", "€ 35", "- 3", "--3", "1٫5", "１２",
		"0,0000000001", "10 000 000 000 000 000", strings.Repeat("9", 400)} {
		if got, err := ParseNumberInput(in, units...); err == nil {
			t.Errorf("ParseNumberInput(%q) = %v, want a refusal", in, got)
		} else if !strings.Contains(err.Error(), "nombre") {
			t.Errorf("ParseNumberInput(%q): %q is not a French message about numbers", in, err)
		}
	}
	if _, err := ParseNumberInput("35 %"); err == nil {
		t.Error("a unit the field does not take was accepted")
	}
}

// TestCheckNumber: zero and ordinary magnitudes pass; NaN, infinities, subnormals (5e-324,
// 1e-320) and anything below MinMagnitude or above MaxMagnitude are refused.
func TestCheckNumber(t *testing.T) {
	for _, ok := range []float64{0, 1, -1, 1e-9, -1e-9, 0.001, 1e15, -1e15, 16, 48.8566} {
		if err := CheckNumber(ok); err != nil {
			t.Errorf("CheckNumber(%v): %v", ok, err)
		}
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 5e-324, 1e-320, -1e-310, 9e-10, 1.0000001e15, math.MaxFloat64} {
		if err := CheckNumber(bad); err == nil {
			t.Errorf("CheckNumber(%v) accepted", bad)
		}
	}
}

// FuzzParseNumberInput: an accepted number passes CheckNumber, is never −0, and its text
// holds only digits, spaces, one separator, a sign and the unit.
func FuzzParseNumberInput(f *testing.F) {
	for _, s := range []string{"35 %", "150 000 €", "150\u202f000,50", "1_6", "0x1p4", "1e3", "-0", "1 000 000,5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseNumberInput(s, "%", "€")
		if err != nil {
			return
		}
		if CheckNumber(v) != nil || (v == 0 && math.Signbit(v)) {
			t.Fatalf("ParseNumberInput(%q) = %v", s, v)
		}
		body := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(s), "%"), "€"))
		if strings.Trim(body, "0123456789 \u00a0\u202f\u2009,.+-−") != "" {
			t.Fatalf("ParseNumberInput(%q) = %v read characters outside decimal notation", s, v)
		}
	})
}
