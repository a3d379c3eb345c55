package relocation

import (
	"regexp"
	"strings"
)

// The text of a written question's page, made regular before it is read: whatever the
// browser and the site put in the paste (non-breaking spaces, typographic apostrophes,
// Markdown links and emphasis, superscript ordinals, Windows line ends), the parser sees
// plain spaces, straight apostrophes, « 3e » and one kind of line break. Every regular
// expression of the parser is RE2 (linear in the text), so a long text costs linear time.

// questionFolds are the replacements questionText makes, character by character.
var questionFolds = strings.NewReplacer(
	"\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n", "\f", "\n", "\v", "\n",
	"\u00a0", " ", "\u202f", " ", "\u2007", " ", "\u2009", " ", "\u2002", " ", "\u2003", " ", "\t", " ",
	"\u2019", "'", "\u2018", "'", "\u02bc", "'", "\u00b4", "'", "`", "'",
	"\u00ad", "", "\u200b", "", "\u200c", "", "\u200d", "", "\ufeff", "", "\x00", "",
	"ᵉ", "e", "ʳ", "r", "<sup>", "", "</sup>", "", "^", "", "**", "", "__", "",
	"\u2013", "-", "\u2014", "-", "\u2011", "-", "\u2010", "-", "º", "°",
)

var (
	markdownLink = regexp.MustCompile(`\[([^\]\n]*)\]\(([^)\s]*)\)`)
	bareURL      = regexp.MustCompile(`https?://[^\s<>"'\])]+`)
	spaceRun     = regexp.MustCompile(` {2,}`)
)

// questionText is a pasted page made regular, and the addresses its links named.
type questionText struct {
	s    string
	urls []string
}

// newQuestionText makes s regular (see above). Invalid UTF-8 is replaced.
func newQuestionText(s string) questionText {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = questionFolds.Replace(s)
	var urls []string
	s = markdownLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := markdownLink.FindStringSubmatch(m)
		if strings.HasPrefix(sub[2], "http") {
			urls = append(urls, sub[2])
		}
		return sub[1]
	})
	urls = append(urls, bareURL.FindAllString(s, 20)...)
	lines := strings.Split(s, "\n")
	kept := lines[:0]
	for _, l := range lines {
		l = strings.TrimSpace(spaceRun.ReplaceAllString(l, " "))
		if l != "" || (len(kept) > 0 && kept[len(kept)-1] != "") {
			kept = append(kept, l)
		}
	}
	return questionText{s: strings.TrimSpace(strings.Join(kept, "\n")), urls: urls}
}

// fieldLabels are the labels of the pages' fields and sections, in every layout: a
// field's value runs from its label to the next label or the end of the line, so
// that a paste that lost its line breaks still reads.
var fieldLabels = regexp.MustCompile(`(?i:auteur\s*:|circonscription\s*:|type de question\s*:|num[ée]ro de la question\s*:|` +
	`rubrique\s*[:>]|t[êe]te d'analyse\s*[:>]|analyse\s*[:>]|titre\s*[:>]|minist[èe]re\s+(?:interrog[ée]|attributaire|r[ée]pondant)\s*[:>]|` +
	`date\(s\) cl[ée]\(s\)|dates? cl[ée]s?\s*:|date de (?:changement d'attribution|signalement|renouvellement|retrait)|donn[ée]es cl[ée]s|` +
	`question de\s*:|question\s+(?:[ée]crite\s+)?n\s*°|sujets?\s*:|en attente de r[ée]ponse|transmise (?:au|à la|à l')\s|` +
	`\b\d{1,2}\s*(?:e|[èe]me)\s+l[ée]gislature|assembl[ée]e nationale\n|publi[ée]e dans le JO S[ée]nat)|` +
	`Texte de la (?:question|r[ée]ponse)|TEXTE DE LA (?:QUESTION|R[ÉE]PONSE)|(?:Question|QUESTION|Réponse|RÉPONSE|REPONSE) publi[ée]e|` +
	`Réponse (?:du|de la|de l'|des) (?:Minist|minist|Secr|secr|Premier|Haut|Garde)`)

// sectionLabels end the question's and the answer's texts: only the labels a sentence
// of prose does not hold.
var sectionLabels = regexp.MustCompile(`(?i:auteur\s*:|circonscription\s*:|rubrique\s*[:>]|minist[èe]re\s+(?:interrog[ée]|attributaire|r[ée]pondant)\s*[:>]|` +
	`date\(s\) cl[ée]\(s\)|donn[ée]es cl[ée]s|date de (?:changement d'attribution|signalement|renouvellement)|` +
	`en attente de r[ée]ponse (?:du|de la|de l')\s|publi[ée]e dans le JO S[ée]nat)|` +
	`Texte de la (?:question|r[ée]ponse)|TEXTE DE LA (?:QUESTION|R[ÉE]PONSE)|(?:Question|Réponse) publi[ée]e au JO|` +
	`Réponse (?:du|de la|de l'|des) (?:Minist|minist|Secr|secr|Premier|Haut|Garde)`)

// value returns the field value starting at byte pos: up to the next label or line end,
// trimmed, without a leading « : » or « > ».
func (t questionText) value(pos int) string {
	rest := t.s[pos:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	if loc := fieldLabels.FindStringIndex(rest); loc != nil {
		rest = rest[:loc[0]]
	}
	return cleanValue(rest)
}

// section returns the text starting at byte pos up to the next section label, every
// run of blank space made one space.
func (t questionText) section(pos int) string {
	rest := t.s[pos:]
	if loc := sectionLabels.FindStringIndex(rest); loc != nil {
		rest = rest[:loc[0]]
	}
	return strings.Join(strings.Fields(rest), " ")
}

// labelled returns the value after the first match of label, "" when there is none.
func (t questionText) labelled(label *regexp.Regexp) string {
	if loc := label.FindStringIndex(t.s); loc != nil {
		return t.value(loc[1])
	}
	return ""
}

// cleanValue trims a field's value of spaces, separators, a final full stop and any
// web address.
func cleanValue(s string) string {
	if strings.Contains(s, "http") {
		s = strings.ReplaceAll(bareURL.ReplaceAllString(s, ""), "()", "")
	}
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, ":> ")
	s = strings.TrimRight(s, " ,;-")
	if strings.HasSuffix(s, ".") && !strings.HasSuffix(s, " M.") && s != "M." {
		s = strings.TrimRight(s, ". ")
	}
	return strings.Join(strings.Fields(s), " ")
}

// capitalizeFirst upper-cases the first letter of s.
func capitalizeFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// balanced returns the text inside the parenthesis that opens s (s[0] == '('), nested
// parentheses included, and whether it closes.
func balanced(s string) (string, bool) {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return s[1:i], true
			}
		case '\n':
			return "", false
		}
	}
	return "", false
}
