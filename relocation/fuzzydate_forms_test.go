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
