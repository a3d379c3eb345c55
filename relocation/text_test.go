package relocation

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestCleanText: texts come out in NFC; invisible-only, bidi-overriding, control-holding
// and script-mixing texts are refused with a French reason; ordinary French, Greek or
// Russian texts, line breaks and tabs pass.
func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"Relocalisation du CLEISS": "Relocalisation du CLEISS",
		"de\u0301but":              "début", // decomposed é becomes one character
		"ligne 1\r\nligne 2\tfin":  "ligne 1\nligne 2\tfin",
		"Министерство финансов":    "Министерство финансов",
		"Ελληνικά και CLEISS":      "Ελληνικά και CLEISS", // two alphabets, not inside one word
		"  ":                       "  ",                  // blank: the field's rule, not this one
		"":                         "",
		"Œuvre d’art — 15\u202f%":  "Œuvre d’art — 15\u202f%",
		"famille 👨\u200d👩\u200d👧 jointe": "famille 👨\u200d👩\u200d👧 jointe",
	} {
		got, err := CleanText(in)
		if err != nil || got != want {
			t.Errorf("CleanText(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, reason := range map[string]string{
		"\u200b\u200b":                       "invisibles",
		"\u200b \u2060\ufeff":                "invisibles",
		"\u3164":                             "invisibles",
		"CLEISS \u202esspa":                  "bidirectionnelle",
		"a\u2066b":                           "bidirectionnelle",
		"CLEISS\x1c":                         "contrôle",
		"bip\x07":                            "contrôle",
		"nul\x00":                            "contrôle",
		"Relocalisation du \u0421LEISS":      "« \u0421LEISS » mêle les alphabets cyrillique et latin",
		"p\u0430ypal":                        "cyrillique",
		"\u03bfrigine":                       "grec",
		string([]byte{0xff, 'a'}):            "UTF-8",
		"Montreuil \u0421\u0422\u0420\u0410": "", // a Cyrillic word beside a Latin one passes: see below
	} {
		got, err := CleanText(in)
		if reason == "" {
			if err != nil {
				t.Errorf("CleanText(%q): %v, want it accepted", in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), reason) {
			t.Errorf("CleanText(%q) = %q, %v; want a refusal saying %q", in, got, err, reason)
		}
	}
}

// FuzzCleanText: an accepted text is valid UTF-8 in NFC, holds no control character but
// line feed and tab nor any bidi control, and cleaning it again changes nothing.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"Relocalisation du CLEISS", "\u200b", "\u202e", "\x1c", "\u0421LEISS", "de\u0301but", "a\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := CleanText(s)
		if err != nil {
			return
		}
		if !utf8.ValidString(got) || !norm.NFC.IsNormalString(got) {
			t.Fatalf("CleanText(%q) = %q: not NFC UTF-8", s, got)
		}
		for _, r := range got {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || isBidiControl(r) {
				t.Fatalf("CleanText(%q) = %q keeps U+%04X", s, got, r)
			}
		}
		if again, err := CleanText(got); err != nil || again != got {
			t.Fatalf("CleanText is not idempotent on %q: %q, %v", got, again, err)
		}
	})
}
