package relocation

import (
	"regexp"
	"strings"
	"testing"
)

// TestFuzzyDateFormsSaidAreRead: every French form the forms' help and error message
// quote is one the parser reads, and none of them is a machine form like 2022-early.
func TestFuzzyDateFormsSaidAreRead(t *testing.T) {
	quoted := regexp.MustCompile(`« ([^»]+) »`).FindAllStringSubmatch(FuzzyDateInputForms, -1)
	if len(quoted) < 8 {
		t.Fatalf("FuzzyDateInputForms quotes %d forms", len(quoted))
	}
	examples := strings.Split(strings.TrimPrefix(FuzzyDateExamples, "Par exemple : "), ", ")
	var forms []string
	for _, q := range quoted {
		forms = append(forms, q[1])
	}
	for _, form := range append(forms, examples...) {
		if _, err := ParseFuzzyDateInput(form); err != nil {
			t.Errorf("%q is said to be accepted but is refused: %v", form, err)
		}
		if regexp.MustCompile(`\d{4}-(early|mid|late|Q\d|S\d)`).MatchString(form) {
			t.Errorf("%q is a machine form", form)
		}
	}
	for form, want := range map[string]string{"début 2022": "2022-early", "mi-2022": "2022-mid", "1er trimestre 2022": "2022-Q1",
		"15/03/2022": "2022-03-15", "fin 2022": "2022-late", "T1 2022": "2022-Q1", "S2 2022": "2022-S2"} {
		if d, err := ParseFuzzyDateInput(form); err != nil || d.String() != want {
			t.Errorf("ParseFuzzyDateInput(%q) = %v, %v; want %s", form, d, err, want)
		}
	}
	if _, err := ParseFuzzyDateInput("bientôt"); err == nil || !strings.Contains(err.Error(), "début 2022") || strings.Contains(err.Error(), "2022-early") {
		t.Errorf("the refusal does not speak French forms: %v", err)
	}
}

// TestFuzzyDateAsTyped: the dates people type map to SPEC's precisions,
// with their obvious neighbours; near misses stay refused.
func TestFuzzyDateAsTyped(t *testing.T) {
	for in, want := range map[string]string{
		"fin-2024":                 "2024-late",
		"Fin-2024":                 "2024-late",
		"début-2024":               "2024-early",
		"mi-2024":                  "2024-mid",
		"12/2024":                  "2024-12",
		"1/2024":                   "2024-01",
		"03.2024":                  "2024-03",
		"03-2024":                  "2024-03",
		"déc. 2024":                "2024-12",
		"dec 2024":                 "2024-12",
		"janv. 2025":               "2025-01",
		"févr. 2025":               "2025-02",
		"sept. 2024":               "2024-09",
		"juil 2024":                "2024-07",
		"décembre 2024":            "2024-12",
		"premier trimestre 2024":   "2024-Q1",
		"Deuxième trimestre 2024":  "2024-Q2",
		"troisième trimestre 2024": "2024-Q3",
		"quatrième trimestre 2024": "2024-Q4",
		"second semestre 2024":     "2024-S2",
		"premier semestre 2024":    "2024-S1",
		"Q2 2023":                  "2023-Q2",
		"q4 2023":                  "2023-Q4",
		"15.03.2024":               "2024-03-15",
		"15-03-2024":               "2024-03-15",
		"1er déc. 2024":            "2024-12-01",
	} {
		if d, err := ParseFuzzyDateInput(in); err != nil || d.String() != want {
			t.Errorf("ParseFuzzyDateInput(%q) = %q, %v; want %s", in, d.String(), err, want)
		}
	}
	for _, in := range []string{"13/2024", "0/2024", "12/24", "12//2024", "15.03-2024", "Q5 2023", "Q0 2023",
		"quatrième semestre 2024", "cinquième trimestre 2024", "déc.. 2024", "fin--2024", "fin-24", "-2024",
		"15.13.2024", "31.02.2024", "premier 2024"} {
		if d, err := ParseFuzzyDateInput(in); err == nil {
			t.Errorf("ParseFuzzyDateInput(%q) = %q, want a refusal", in, d.String())
		}
	}
}
