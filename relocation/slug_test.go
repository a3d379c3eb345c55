package relocation

import (
	"regexp"
	"strings"
	"testing"
)

// TestSlugFrom: the slug proposed from a name is lower-case ASCII with hyphens, accents
// removed, and always matches the API's slug rule (or is empty).
func TestSlugFrom(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	for name, want := range map[string]string{
		"Relocalisation du CLEISS à Montreuil": "relocalisation-du-cleiss-a-montreuil",
		"Évry-Courcouronnes (91)":              "evry-courcouronnes-91",
		"  Œuvre d’Île-de-France  ":            "oeuvre-d-ile-de-france",
		"Agence française — Nîmes":             "agence-francaise-nimes",
		"Ça va ?!":                             "ca-va",
		"…":                                    "",
		"東京":                                   "",
		strings.Repeat("relocalisation ", 10):  "relocalisation-relocalisation-relocalisation-relocalisation-relocalisation",
	} {
		got := SlugFrom(name)
		if got != want {
			t.Errorf("SlugFrom(%q) = %q, want %q", name, got, want)
		}
		if got != "" && (!valid.MatchString(got) || len(got) > SlugMaxLength) {
			t.Errorf("SlugFrom(%q) = %q breaks the slug rule", name, got)
		}
	}
}
