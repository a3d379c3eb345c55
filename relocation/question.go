package relocation

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Chambers of Parliament a written question is asked in.
const (
	ChamberAN    = "AN"    // Assemblée nationale
	ChamberSenat = "Senat" // Sénat
)

// MaxQuestionText is the longest text ParseQuestion reads, in bytes (a page with a long
// answer is a few tens of kilobytes).
const MaxQuestionText = 512 << 10

// Question is a written question of Parliament as its page tells it: what ParseQuestion
// reads from the text a manager pastes. Legislature and the pages are nil when the text
// does not give them; AnswerPublished is zero while the question is unanswered.
type Question struct {
	Chamber           string `db:"chamber"`
	Legislature       *int   `db:"legislature"`
	Number            int    `db:"number"`
	Author            string `db:"author"`
	Constituency      string `db:"constituency"`
	MinistryAsked     string `db:"ministry_asked"`
	MinistryAnswering string `db:"ministry_answering"`
	QuestionPublished Date   `db:"question_published"`
	QuestionPage      *int   `db:"question_page"`
	AnswerPublished   Date   `db:"answer_published"`
	AnswerPage        *int   `db:"answer_page"`
	QuestionText      string `db:"question_text"`
	AnswerText        string `db:"answer_text"`
	SourceURL         string `db:"source_url"` // the page's address when the text gives or implies it
}

// Answered reports whether the text gave the answer's publication.
func (q Question) Answered() bool { return !q.AnswerPublished.IsZero() }

// DaysToAnswer returns the days from the question's publication to the answer's, and
// false while unanswered.
func (q Question) DaysToAnswer() (int, bool) {
	if !q.Answered() {
		return 0, false
	}
	return q.AnswerPublished.DaysSince(q.QuestionPublished), true
}

// DaysWithoutAnswer returns the days from the question's publication to today (a date in
// Europe/Paris, given by the caller), and false once answered.
func (q Question) DaysWithoutAnswer(today Date) (int, bool) {
	if q.Answered() {
		return 0, false
	}
	return today.DaysSince(q.QuestionPublished), true
}

// ChamberLabel names the chamber in French.
func (q Question) ChamberLabel() string {
	if q.Chamber == ChamberSenat {
		return "Sénat"
	}
	return "Assemblée nationale"
}

// The parts of a page ParseQuestion looks for.
var (
	numberPatterns = []*regexp.Regexp{
		regexp.MustCompile(`(?i)num[ée]ro de la question\s*:\s*(\d{1,6})\b`),
		regexp.MustCompile(`(?i)question\s+(?:[ée]crite\s+)?(?:n\s*°|no\.?|num[ée]ro)\s*:?\s*0*(\d{1,6})\b`),
		regexp.MustCompile(`(?i)\bQE\s+n\s*°\s*0*(\d{1,6})\b`),
	}
	questionDate = `(?i:(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})|(\d{4})-(\d{2})-(\d{2})|(1er|1re|\d{1,2})\s+([a-zéèêûôà]{3,9}\.?)\s+(\d{4}))`
	// publication matches « Question publiée au JO le : 24/12/2019 page : 11254 »,
	// « Réponse publiée le 15 juin 2021, p. 4892 », « publiée dans le JO Sénat du
	// 26/12/2019 - page 6299 »; group 1 is Question or Réponse when written, group 2 the
	// Sénat's JO, groups 3-11 the date, 12 the page.
	publication = regexp.MustCompile(`(Question|QUESTION|Réponse|RÉPONSE|REPONSE)?\s*(?i:publi[ée]e)\s+` +
		`(?i:(?:(?:au|dans\s+le)\s+(?:JO|J\.O\.|journal\s+officiel)(?:\s+(?:du\s+|de\s+l'assembl[ée]e\s+nationale)?(s[ée]nat)?)?\s*,?\s*)?` +
		`(?:le|du|en\s+date\s+du)?\s*:?\s*)` + questionDate +
		`(?:\s*[,;-]?\s*(?i:page|p\.)\s*:?\s*(\d{1,6}))?`)
	senatAnswerHeader = regexp.MustCompile(`Réponse (?:du|de la|de l'|des)\s+([^\n]+?)\s*(?:\n|(?i:publi[ée]e))`)
	legislaturePats   = []*regexp.Regexp{
		regexp.MustCompile(`(?i)\b(\d{1,2})\s*(?:e|[èe]me|er)\s+l[ée]gislature`),
		regexp.MustCompile(`(?i)l[ée]gislature\s*:?\s*(\d{1,2})\b`),
		regexp.MustCompile(`\b([XVI]{1,6})(?:e|ème)\s+(?i:l[ée]gislature)`),
	}
	urlLegislature = []*regexp.Regexp{
		regexp.MustCompile(`assemblee-nationale\.fr/q(\d{1,2})/`),
		regexp.MustCompile(`assemblee-nationale\.fr/dyn/(\d{1,2})/`),
	}
	labelAuthor       = regexp.MustCompile(`(?i)auteur\s*:`)
	labelQuestionOf   = regexp.MustCompile(`(?i)question de\s*:`)
	labelConstituency = regexp.MustCompile(`(?i)circonscription\s*:`)
	labelAsked        = regexp.MustCompile(`(?i)minist[èe]re\s+interrog[ée]\s*[:>]`)
	labelAttributed   = regexp.MustCompile(`(?i)minist[èe]re\s+attributaire\s*[:>]`)
	labelAnswering    = regexp.MustCompile(`(?i)minist[èe]re\s+r[ée]pondant\s*[:>]`)
	labelWaiting      = regexp.MustCompile(`(?i)en attente de r[ée]ponse (?:du|de la|de l'|des)\s*`)
	labelTransmitted  = regexp.MustCompile(`(?i)transmise (?:au|à la|à l')\s*`)
	labelType         = regexp.MustCompile(`(?i)type de question\s*:`)
	labelQuestionText = regexp.MustCompile(`Texte de la question|TEXTE DE LA QUESTION`)
	labelAnswerText   = regexp.MustCompile(`Texte de la r[ée]ponse|TEXTE DE LA R[ÉE]PONSE`)
	// numberThenAuthor is the older Assemblée's and the Sénat's « Question écrite n° 13599
	// de M. Jean-Pierre Sueur (Loiret - SOCR) ».
	numberThenAuthor = regexp.MustCompile(`(?i:question\s+(?:[ée]crite\s+)?n\s*°\s*:?\s*\d{1,6}\s+de\s+)((?:M\.|Mme|MM\.|Mlle|Monsieur|Madame)\s[^(\n]+?)\s*(\(|\n|$|(?i:publi))`)
	// authorInText is the first sentence's « M. Patrice Anato interroge … ».
	authorInText   = regexp.MustCompile(`(?:^|[.\n]\s*)((?:M\.|Mme)\s+[\p{Lu}][\p{L}'-]*(?:\s+(?:de\s+|d')?[\p{Lu}][\p{L}'-]*){0,4})\s+(?:interroge|attire|appelle|demande|souhaite|alerte|rappelle|sollicite)`)
	ministryInText = regexp.MustCompile(`(?i)(?:interroge|attention d[eu]|demande à|alerte|sollicite)\s+(?:M\.|Mme|Madame|Monsieur)\s+(?:le|la)\s+` +
		`((?:ministre|secr[ée]taire d'[ée]tat|premier ministre|garde des sceaux|haut-commissaire)[^,;:.\n]*?)\s*,?\s+(?:sur|au sujet|quant|concernant|à propos|à l'égard)\b`)
	otherQuestionType = regexp.MustCompile(`(?i)question (?:au gouvernement|orale|d'actualit[ée])`)
	writtenQuestion   = regexp.MustCompile(`(?i)question [ée]crite`)
)

// ParseQuestion reads a written question's page as the Assemblée nationale or the Sénat
// publishes it, pasted whatever the layout (« Données clés » or headings, « Question de :
// … », dates with or without pages, « 1er avril 2014 » or « 24/12/2019 », line breaks
// lost). It is pure and never panics. A text that is not a written question, or lacks its
// number or its publication date, is refused (EINVALID) with every missing part named.
func ParseQuestion(text string) (Question, error) {
	if strings.TrimSpace(text) == "" {
		return Question{}, questionRefused(FieldError{Field: "text", Message: "obligatoire : collez le texte de la page de la question"})
	}
	if len(text) > MaxQuestionText {
		return Question{}, questionRefused(FieldError{Field: "text",
			Message: fmt.Sprintf("trop long (%d Kio au plus) : collez la seule page de la question", MaxQuestionText>>10)})
	}
	t := newQuestionText(text)
	var q Question
	q.Number = findNumber(t)
	q.QuestionPublished, q.QuestionPage, q.AnswerPublished, q.AnswerPage = findPublications(t)
	q.Chamber = findChamber(t)
	if err := refuseQuestion(t, q); err != nil {
		return Question{}, err
	}
	q.Legislature = findLegislature(t)
	q.Author, q.Constituency = findAuthor(t, q.Chamber)
	q.MinistryAsked, q.MinistryAnswering = findMinistries(t, q.Answered())
	q.QuestionText, q.AnswerText = findTexts(t, q.Answered())
	if q.MinistryAsked == "" {
		if m := ministryInText.FindStringSubmatch(q.QuestionText); m != nil {
			q.MinistryAsked = capitalizeFirst(cleanValue(m[1]))
		}
	}
	if q.Author == "" {
		if m := authorInText.FindStringSubmatch(q.QuestionText); m != nil {
			q.Author = cleanValue(m[1])
		}
	}
	q.SourceURL = sourceURL(t, q)
	return q, nil
}

// questionRefused is the EINVALID refusal of a text, naming what it lacks.
func questionRefused(fields ...FieldError) error {
	return &Error{Code: EINVALID, Message: "Ce texte n’est pas reconnu comme une question écrite.", Fields: fields}
}

// refuseQuestion names what a text lacks to be read as a written question, nil when
// it has it all.
func refuseQuestion(t questionText, q Question) error {
	if m := t.labelled(labelType); m != "" && !writtenQuestion.MatchString(m) {
		return questionRefused(FieldError{Field: "text", Message: "ce texte est une « " + m + " », pas une question écrite"})
	}
	if q.Number == 0 && q.QuestionPublished.IsZero() {
		if !writtenQuestion.MatchString(t.s) && otherQuestionType.MatchString(t.s) {
			return questionRefused(FieldError{Field: "text", Message: "ce texte n’est pas une question écrite (question orale ou au Gouvernement)"})
		}
		if !writtenQuestion.MatchString(t.s) {
			return questionRefused(FieldError{Field: "text",
				Message: "ce texte n’est pas la page d’une question écrite : ni « Question écrite n° … » ni « Question publiée au JO le … » n’y figurent"})
		}
	}
	var missing []FieldError
	if q.Number == 0 {
		missing = append(missing, FieldError{Field: "number",
			Message: "numéro de la question introuvable : le texte doit contenir « Question écrite n° … » ou « Numéro de la question : … »"})
	}
	if q.QuestionPublished.IsZero() {
		missing = append(missing, FieldError{Field: "question_published",
			Message: "date de publication de la question introuvable : le texte doit contenir « Question publiée au JO le … » ou « publiée dans le JO Sénat du … »"})
	}
	if q.Chamber == "" {
		missing = append(missing, FieldError{Field: "chamber",
			Message: "assemblée introuvable : le texte ne dit ni « Assemblée nationale » ni « Sénat »"})
	}
	if !q.QuestionPublished.IsZero() && q.Answered() && q.AnswerPublished.Before(q.QuestionPublished) {
		missing = append(missing, FieldError{Field: "answer_published",
			Message: "la réponse serait publiée (" + q.AnswerPublished.Label() + ") avant la question (" + q.QuestionPublished.Label() + ")"})
	}
	if len(missing) > 0 {
		return questionRefused(missing...)
	}
	return nil
}

// findNumber returns the question's number, 0 when the text gives none.
func findNumber(t questionText) int {
	for _, re := range numberPatterns {
		if m := re.FindStringSubmatch(t.s); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
				return n
			}
		}
	}
	return 0
}

// findPublications returns the question's and the answer's publication dates and pages.
// A date written « Question … » or « Réponse … » is that; an unnamed one (the Sénat's «
// publiée dans le JO Sénat du … ») is the question's when first, the answer's when a «
// Réponse du Ministère … » header comes before it. Dates in the prose are left alone.
func findPublications(t questionText) (qd Date, qp *int, ad Date, ap *int) {
	prev := 0
	for _, m := range publication.FindAllStringSubmatchIndex(t.s, -1) {
		d, ok := matchedDate(t.s, m)
		if !ok {
			continue
		}
		var page *int
		if m[24] >= 0 {
			if n, err := strconv.Atoi(t.s[m[24]:m[25]]); err == nil && n > 0 {
				page = &n
			}
		}
		prefix := ""
		if m[2] >= 0 {
			prefix = strings.ToLower(t.s[m[2]:m[3]])
		}
		senat := m[4] >= 0
		isAnswer := false
		switch {
		case strings.HasPrefix(prefix, "q"):
		case prefix != "":
			isAnswer = true
		case !senat:
			continue // « publiée au JO le … » in prose: another question's, say
		case !qd.IsZero():
			// The « Réponse du Ministère … » header just before (a bounded look back: a
			// text of many such lines stays linear).
			from := max(prev, m[0]-600)
			for from < m[0] && !utf8.RuneStart(t.s[from]) {
				from++
			}
			isAnswer = senatAnswerHeader.MatchString(t.s[from:m[0]] + "\n")
			if !isAnswer {
				continue
			}
		}
		switch {
		case isAnswer && ad.IsZero():
			ad, ap = d, page
		case !isAnswer && qd.IsZero():
			qd, qp = d, page
		}
		prev = m[1]
	}
	return qd, qp, ad, ap
}

// matchedDate reads the date of a publication match (groups 3-11).
func matchedDate(s string, m []int) (Date, bool) {
	g := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
	switch {
	case g(3) != "":
		return parseDateInput(g(3) + "/" + g(4) + "/" + g(5))
	case g(6) != "":
		return parseISODate(g(6) + "-" + g(7) + "-" + g(8))
	case g(9) != "":
		month, ok := frenchMonthOrAbbreviation(g(10))
		if !ok {
			return Date{}, false
		}
		day := strings.TrimRight(g(9), "ere")
		if day == "" {
			day = "1"
		}
		d, ok1 := atoiDigits(day)
		y, ok2 := parseDateYear(g(11))
		if !ok1 || !ok2 {
			return Date{}, false
		}
		return makeDate(y, int(month), d)
	}
	return Date{}, false
}

// monthAbbreviations are the abbreviated French months pages sometimes print.
var monthAbbreviations = map[string]time.Month{"janv": 1, "jan": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7,
	"sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

// frenchMonthOrAbbreviation parses « décembre », « DÉCEMBRE » or « déc. ».
func frenchMonthOrAbbreviation(s string) (time.Month, bool) {
	n := strings.TrimSuffix(normalizeFrench(s), ".")
	if m, ok := parseFrenchMonth(n); ok {
		return m, true
	}
	m, ok := monthAbbreviations[n]
	return m, ok
}

// findChamber says which chamber the page is of, "" when nothing tells: the first
// strong mark (the chamber's name, its JO, its site), else the words only one uses.
func findChamber(t questionText) string {
	strongAN := firstIndex(t.s, markAN)
	strongSenat := firstIndex(t.s, markSenat)
	switch {
	case strongAN >= 0 && (strongSenat < 0 || strongAN < strongSenat):
		return ChamberAN
	case strongSenat >= 0:
		return ChamberSenat
	case firstIndex(t.s, markANWords) >= 0:
		return ChamberAN
	}
	return ""
}

// The marks of each chamber findChamber looks for.
var (
	markAN      = regexp.MustCompile(`(?i)assembl[ée]e nationale|assemblee-nationale\.fr`)
	markSenat   = regexp.MustCompile(`(?i:JO S[ée]nat|senat\.fr|\bsénat(?:eur|rice)\b)|\bS[ÉE]NAT\b`)
	markANWords = regexp.MustCompile(`(?i)circonscription|minist[èe]re attributaire|donn[ée]es cl[ée]s|(?:Question|Réponse) publi[ée]e au JO|\bdéputée?\b`)
)

// firstIndex returns where re first matches s, -1 when it does not.
func firstIndex(s string, re *regexp.Regexp) int {
	if loc := re.FindStringIndex(s); loc != nil {
		return loc[0]
	}
	return -1
}

// findLegislature returns the legislature the page names (« 15e législature », « XVe
// législature », or the Assemblée's address), nil when none.
func findLegislature(t questionText) *int {
	for i, re := range legislaturePats {
		m := re.FindStringSubmatch(t.s)
		if m == nil {
			continue
		}
		n, ok := 0, false
		if i == 2 {
			n, ok = romanNumber(m[1])
		} else {
			n, ok = atoiDigits(m[1])
		}
		if ok && n >= 1 && n <= 30 {
			return &n
		}
	}
	for _, u := range t.urls {
		for _, re := range urlLegislature {
			if m := re.FindStringSubmatch(u); m != nil {
				if n, ok := atoiDigits(m[1]); ok && n >= 1 && n <= 30 {
					return &n
				}
			}
		}
	}
	return nil
}

// romanNumber reads a Roman numeral up to XXX.
func romanNumber(s string) (int, bool) {
	values := map[byte]int{'I': 1, 'V': 5, 'X': 10}
	n := 0
	for i := 0; i < len(s); i++ {
		v := values[s[i]]
		if i+1 < len(s) && values[s[i+1]] > v {
			v = -v
		}
		n += v
	}
	return n, n > 0
}

// findAuthor returns who asked the question and their constituency.
func findAuthor(t questionText, chamber string) (author, constituency string) {
	firstIsPlace := chamber == ChamberSenat
	if loc := labelQuestionOf.FindStringIndex(t.s); loc != nil {
		author, constituency = authorAndPlace(t.s[loc[1]:], firstIsPlace)
	}
	if author == "" {
		if m := numberThenAuthor.FindStringSubmatchIndex(t.s); m != nil {
			author = cleanValue(t.s[m[2]:m[3]])
			if t.s[m[4]:m[5]] == "(" {
				if inside, ok := balanced(t.s[m[4]:]); ok {
					constituency = splitAffiliation(inside, firstIsPlace)
				}
			}
		}
	}
	if a := t.labelled(labelAuthor); a != "" {
		author, _ = authorAndPlace(a, firstIsPlace)
	}
	if c := t.labelled(labelConstituency); c != "" {
		constituency = splitAffiliation(c, true)
	}
	return author, constituency
}

// authorAndPlace splits « M. Patrice Anato (Seine-Saint-Denis - LREM) » into the name
// and the constituency.
func authorAndPlace(s string, firstIsPlace bool) (string, string) {
	line := s
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	open := strings.IndexByte(line, '(')
	if open < 0 {
		name := line
		if loc := fieldLabels.FindStringIndex(name); loc != nil {
			name = name[:loc[0]]
		}
		return cleanValue(name), ""
	}
	place := ""
	if inside, ok := balanced(line[open:]); ok {
		place = splitAffiliation(inside, firstIsPlace)
	}
	return cleanValue(line[:open]), place
}

// findMinistries returns the ministry asked and the one answering (or due to answer).
func findMinistries(t questionText, answered bool) (asked, answering string) {
	asked = t.labelled(labelAsked)
	answering = t.labelled(labelAnswering)
	if answering == "" {
		if m := senatAnswerHeader.FindStringSubmatch(t.s); m != nil && answered {
			answering = capitalizeFirst(cleanValue(m[1]))
		}
	}
	for _, label := range []*regexp.Regexp{labelAttributed, labelWaiting, labelTransmitted} {
		if answering != "" {
			break
		}
		answering = capitalizeFirst(t.labelled(label))
	}
	return asked, answering
}

// findTexts returns the question's and the answer's texts: under their headings, else
// (the Sénat's layout) after the publication lines.
func findTexts(t questionText, answered bool) (question, answer string) {
	if loc := labelQuestionText.FindStringIndex(t.s); loc != nil {
		question = t.section(loc[1])
	}
	if loc := labelAnswerText.FindStringIndex(t.s); loc != nil {
		answer = t.section(loc[1])
	}
	if question != "" && (answer != "" || !answered) {
		return question, answer
	}
	// Sénat: each text follows its publication line.
	pubs := publication.FindAllStringSubmatchIndex(t.s, -1)
	var texts []string
	for _, m := range pubs {
		if m[4] < 0 {
			continue
		}
		texts = append(texts, t.section(m[1]))
	}
	if question == "" && len(texts) > 0 {
		question = texts[0]
	}
	if answer == "" && answered && len(texts) > 1 {
		answer = texts[len(texts)-1]
	}
	return question, answer
}

// questionAddress tells a question's page from the chambers' other pages (a member's).
var questionAddress = regexp.MustCompile(`(?i)/questions?/|QE\d|/q\d{1,2}/`)

// sourceURL returns the page's address: the one the paste names, else the Assemblée's
// usual address of a question of known legislature.
func sourceURL(t questionText, q Question) string {
	for _, u := range t.urls {
		if (strings.Contains(u, "assemblee-nationale.fr") || strings.Contains(u, "senat.fr")) && questionAddress.MatchString(u) &&
			utf8.ValidString(u) && len(u) <= 500 {
			return strings.TrimRight(u, ".,;")
		}
	}
	if q.Chamber != ChamberAN || q.Legislature == nil {
		return ""
	}
	l := *q.Legislature
	switch {
	case l >= 11 && l <= 15:
		return fmt.Sprintf("https://questions.assemblee-nationale.fr/q%d/%d-%dQE.htm", l, l, q.Number)
	case l >= 16:
		return fmt.Sprintf("https://www.assemblee-nationale.fr/dyn/%d/questions/QANR5L%dQE%d", l, l, q.Number)
	}
	return ""
}
