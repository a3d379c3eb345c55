package relocation

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AnnouncedDate is a date an answer announces (« début 2022 »), the sentence it comes
// from, and the kind of milestone it would make (move, works, lease… or other).
type AnnouncedDate struct {
	Date     FuzzyDate
	Sentence string
	Kind     string
}

// announcedDate matches the French forms of an approximate date in prose; each
// alternative's groups are rewritten into a form ParseFuzzyDateInput reads.
var announcedDate = regexp.MustCompile(`(?i)` +
	`\b(d[ée]but|fin|mi-|mi |milieu)\s*(?:d'ann[ée]e\s+|de\s+l'ann[ée]e\s+)?(\d{4})\b` + // 1-2
	`|\b(1er|1re|premier|2e|2[èe]me|deuxi[èe]me|second|3e|3[èe]me|troisi[èe]me|4e|4[èe]me|quatri[èe]me|dernier)\s+(trimestre|semestre)\s+(?:de\s+l'ann[ée]e\s+)?(\d{4})\b` + // 3-5
	`|\b([TS][1-4])\s+(\d{4})\b` + // 6-7
	`|\b(?:(1er|\d{1,2})\s+)?(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)\s+(\d{4})\b` + // 8-10
	`|\b(?:en|courant|d'ici|pour|d[èe]s|horizon|l'horizon|au\s+cours\s+de\s+l'ann[ée]e|à\s+partir\s+de)\s+(\d{4})\b`) // 11

// ordinalWords maps the ordinals of quarters and semesters to the forms FuzzyDate reads.
var ordinalWords = map[string]string{"premier": "1er", "premiere": "1er", "1re": "1er", "second": "2e", "seconde": "2e", "deuxieme": "2e", "2eme": "2e",
	"troisieme": "3e", "3eme": "3e", "quatrieme": "4e", "4eme": "4e"}

// AnnouncedDates returns the approximate dates q's answer announces, in the order of the
// text, with their sentences: those whose interval ends on or after the answer's
// publication (a date already past when the answer was written announces nothing).
func (q Question) AnnouncedDates() []AnnouncedDate {
	out := []AnnouncedDate{}
	if !q.Answered() || q.AnswerText == "" {
		return out
	}
	text := q.AnswerText
	for _, m := range announcedDate.FindAllStringSubmatchIndex(text, 50) {
		d, ok := announcedFuzzy(text, m)
		if !ok || d.End().Before(q.AnswerPublished) || d.Start().Year > q.AnswerPublished.Year+30 {
			continue
		}
		start, end := sentenceAround(text, m[0], m[1])
		sentence := strings.TrimSpace(text[start:end])
		a := AnnouncedDate{Date: d, Sentence: sentence, Kind: announcedKind(text[start:end], m[0]-start)}
		if len(out) > 0 && out[len(out)-1].Date == a.Date && out[len(out)-1].Sentence == a.Sentence {
			continue
		}
		out = append(out, a)
	}
	return out
}

// announcedFuzzy turns one match of announcedDate into a FuzzyDate.
func announcedFuzzy(s string, m []int) (FuzzyDate, bool) {
	g := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return normalizeFrench(s[m[2*i]:m[2*i+1]])
	}
	var form string
	switch {
	case g(2) != "":
		switch w := strings.TrimSuffix(g(1), "-"); w {
		case "mi", "milieu":
			form = "mi-" + g(2)
		default:
			form = w + " " + g(2)
		}
	case g(5) != "":
		n := g(3)
		if w, ok := ordinalWords[n]; ok {
			n = w
		}
		if n == "dernier" {
			n = map[string]string{"trimestre": "4e", "semestre": "2e"}[g(4)]
		}
		form = n + " " + g(4) + " " + g(5)
	case g(7) != "":
		form = g(6) + " " + g(7)
	case g(10) != "":
		form = strings.TrimSpace(g(8) + " " + g(9) + " " + g(10))
	case g(11) != "":
		form = g(11)
	}
	d, err := ParseFuzzyDateInput(form)
	return d, err == nil
}

// abbreviations end with a full stop that does not end a sentence.
var abbreviations = map[string]bool{"m": true, "mm": true, "mme": true, "mlle": true, "p": true, "n": true,
	"art": true, "cf": true, "av": true, "bd": true, "st": true, "ste": true, "dr": true, "pr": true}

// sentenceAround returns the bounds of the sentence holding s[from:to]: from after the
// previous full stop (or line break, bullet, semicolon list) to the next.
func sentenceAround(s string, from, to int) (int, int) {
	start := 0
	for i := from - 1; i >= 0; i-- {
		if endsSentence(s, i) {
			start = i + 1
			break
		}
	}
	end := len(s)
	for i := to; i < len(s); i++ {
		if endsSentence(s, i) {
			end = i + 1
			break
		}
	}
	if end-start > 1000 { // a text without stops: the date's surroundings only
		start, end = max(start, from-300), min(end, to+300)
		for start > 0 && !utf8.RuneStart(s[start]) {
			start--
		}
		for end < len(s) && !utf8.RuneStart(s[end]) {
			end++
		}
	}
	return start, end
}

// endsSentence reports whether byte i of s ends a sentence: « . », « ! », « ? » before a
// space and not after an abbreviation, a line break, a bullet « • » or « ; ».
func endsSentence(s string, i int) bool {
	switch s[i] {
	case '\n', ';':
		return true
	case '!', '?':
		return i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n'
	case '.':
		if i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\n' {
			return false
		}
		j := i
		for j > 0 && (unicode.IsLetter(rune(s[j-1])) && s[j-1] < utf8.RuneSelf) {
			j--
		}
		return !abbreviations[strings.ToLower(s[j:i])]
	}
	return strings.HasPrefix(s[i:], "•")
}

// announcedKinds are the words that tell what an announced date is about, and the kind
// of milestone they make.
var announcedKinds = []struct {
	re   *regexp.Regexp
	kind string
}{
	{regexp.MustCompile(`(?i)d[ée]m[ée]nag|install|emm[ée]nag|arriv[ée]e des agents`), "move"},
	{regexp.MustCompile(`(?i)travaux|chantier|r[ée]novation|am[ée]nagement des locaux`), "works"},
	{regexp.MustCompile(`(?i)\bbail\b|prise à bail`), "lease"},
	{regexp.MustCompile(`(?i)lettre d'intention`), "letter_of_intent"},
	{regexp.MustCompile(`(?i)consultation|comit[ée] social|\bCSA\b|CHSCT|dialogue social|organisations syndicales`), "staff_consultation"},
	{regexp.MustCompile(`(?i)choix (?:du|d'un) site|site (?:sera )?retenu`), "site_decision"},
}

// announcedKind returns the kind of milestone a sentence's date at byte at is about:
// the word nearest before the date, else the first after, else other.
func announcedKind(sentence string, at int) string {
	best, bestAt := "", -1
	after, afterAt := "", len(sentence)+1
	for _, k := range announcedKinds {
		for _, loc := range k.re.FindAllStringIndex(sentence, 10) {
			switch {
			case loc[0] < at && loc[0] > bestAt:
				best, bestAt = k.kind, loc[0]
			case loc[0] >= at && loc[0] < afterAt:
				after, afterAt = k.kind, loc[0]
			}
		}
	}
	switch {
	case best != "":
		return best
	case after != "":
		return after
	}
	return "other"
}
