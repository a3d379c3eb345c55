package relocation

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CleanText is the one rule every typed text goes through (API bodies, forms, the command
// line): it returns s in Unicode NFC with line breaks as LF, or a French reason to refuse
// it. Refused: control characters other than line feed and tab (U+001C reached a CSV
// export), bidirectional embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069, which make a text read otherwise than it is stored), a text that is not
// blank yet made only of invisible characters (zero-width spaces, joiners, fillers), and a word
// mixing the Latin, Greek and Cyrillic alphabets (« СLEISS » with a Cyrillic С). Surrounding
// white space is kept: callers trim where they always did.
func CleanText(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("texte illisible : il n’est pas encodé en UTF-8")
	}
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	visible := false
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case isBidiControl(r):
			return "", fmt.Errorf("caractère de mise en forme bidirectionnelle interdit (U+%04X) : il fait lire le texte autrement qu’il n’est écrit", r)
		case unicode.IsControl(r):
			return "", fmt.Errorf("caractère de contrôle interdit (U+%04X)", r)
		case !isInvisible(r):
			visible = true
		}
	}
	if strings.TrimSpace(s) != "" && !visible { // blank is the caller's (optional or required)
		return "", errors.New("le texte ne contient que des caractères invisibles (espaces de largeur nulle…)")
	}
	if word, scripts := mixedScripts(s); word != "" {
		return "", fmt.Errorf("le mot « %s » mêle les alphabets %s : retapez-le dans un seul alphabet", word, scripts)
	}
	return s, nil
}

// isBidiControl reports whether r is a bidirectional embedding, override or isolate.
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// isInvisible reports whether r shows nothing: white space, format characters (zero-width
// space, joiners, marks, soft hyphen, BOM) and the blank fillers some scripts define.
func isInvisible(r rune) bool {
	switch r {
	case 0x115F, 0x1160, 0x2800, 0x3164, 0xFFA0, 0x034F:
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r)
}

// confusableScripts are the alphabets whose letters look alike (Latin a, Cyrillic а, Greek α).
var confusableScripts = []struct {
	name  string
	table *unicode.RangeTable
}{{"latin", unicode.Latin}, {"grec", unicode.Greek}, {"cyrillique", unicode.Cyrillic}}

// mixedScripts returns the first word of s (a run of letters and combining marks) that
// holds letters of two confusable alphabets, and those alphabets in French; "" when none.
func mixedScripts(s string) (string, string) {
	for _, word := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsMark(r) }) {
		var seen []string
		for _, r := range word {
			for _, sc := range confusableScripts {
				if unicode.Is(sc.table, r) && !containsString(seen, sc.name) {
					seen = append(seen, sc.name)
				}
			}
		}
		if len(seen) > 1 {
			return word, strings.Join(seen, " et ")
		}
	}
	return "", ""
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
