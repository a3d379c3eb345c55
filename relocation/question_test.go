package relocation

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// questionANOld is question 25585 as the Assemblée's older site (questions.assemblee-
// nationale.fr/q15) lays it out: « Question N° : », « Ministère interrogé > »,
// dates as 24/12/2019 with « page : », group before department, tabs.
const questionANOld = "15ème législature\n" +
	"Question N° : 25585\tde M. Patrice Anato ( La République en Marche - Seine-Saint-Denis )\tQuestion écrite\n" +
	"Ministère interrogé > Action et comptes publics\tMinistère attributaire > Comptes publics\n" +
	"Rubrique > sécurité sociale\tTête d'analyse > CLEISS\tAnalyse > Relocalisation du CLEISS.\n" +
	"Question publiée au JO le : 24/12/2019 page : 11254\n" +
	"Réponse publiée au JO le : 15/06/2021 page : 4892\n" +
	"Date de changement d'attribution : 07/07/2020\n" +
	"Texte de la question\n" +
	"M. Patrice Anato interroge M. le ministre de l'action et des comptes publics sur la relocalisation du Centre des liaisons européennes et internationales de sécurité sociale.\n" +
	"Texte de la réponse\n" +
	"Les travaux pour la relocalisation du CLEISS sont actuellement en cours. Son déménagement en Seine-Saint-Denis aura lieu début 2022. " +
	"Le 15 novembre 2019, le Gouvernement avait annoncé ce transfert."

// questionANFlat is an unanswered question of the Assemblée's « Question de : » layout
// whose line breaks the paste lost, with non-breaking spaces before the colons,
// typographic apostrophes and « 1er avril 2014 ».
const questionANFlat = "ASSEMBLÉE NATIONALE 14e législature Question écrite n° 53210 Question de\u00a0: Mme Marie Dupont " +
	"(Essonne (4\u1d49 circonscription) - Socialiste, républicain et citoyen) Ministère interrogé\u00a0: Réforme de l\u2019État, " +
	"décentralisation et fonction publique Question publiée au JO le 1er avril 2014 page 2890 Texte de la question " +
	"Mme Marie Dupont attire l\u2019attention de Mme la ministre de la réforme de l\u2019État sur le transfert à Évry " +
	"d\u2019un service de l\u2019État, prévu pour début 2015."

// questionSenat is an answered question of the Sénat: the author's line, then each
// publication line followed by its text.
const questionSenat = "Relocalisation des services de l'État dans les territoires\n" +
	"15e législature\n" +
	"Question écrite n° 13599 de M. Jean-Pierre Sueur (Loiret - SOCR)\n" +
	"publiée dans le JO Sénat du 26/12/2019 - page 6299\n" +
	"M. Jean-Pierre Sueur appelle l'attention de M. le ministre de l'action et des comptes publics sur la relocalisation " +
	"de services de l'État à Orléans.\n" +
	"Réponse du Ministère de l'action et des comptes publics\n" +
	"publiée dans le JO Sénat du 25/06/2020 - page 2888\n" +
	"Le Gouvernement a engagé la relocalisation de 2 500 agents. Les premiers agents s'installeront à Orléans au 2e semestre 2021 " +
	"et les travaux seront achevés d'ici fin 2022. En 2019, 66 services avaient été identifiés."

// questionSenatWaiting is an unanswered Sénat question on one line, with « n° 09860 ».
const questionSenatWaiting = "Question écrite n° 09860 de Mme Anne Martin (Les Républicains - Haute-Vienne) publiée dans le JO Sénat " +
	"du 04/04/2019 - page 1766 Mme Anne Martin attire l'attention de M. le ministre de l'action et des comptes publics sur le devenir " +
	"du centre des finances publiques de Limoges. En attente de réponse du Ministère de l'action et des comptes publics " +
	"(https://www.senat.fr/questions/base/2019/qSEQ190409860.html)."

// questionANDyn is the Assemblée's current site for the 16th legislature, copied with
// Windows line ends, Markdown emphasis and links, and a « Ministère répondant ».
const questionANDyn = "**16e législature**\r\n\r\n## Question écrite n° 1234 : Relocalisation des administrations\r\n" +
	"**Question de :** [Mme Jeanne Durand](https://www.assemblee-nationale.fr/dyn/deputes/PA1) (Gironde (5e circonscription) - Renaissance)\r\n" +
	"Question publiée au JO le : 18/10/2022 page : 4567\r\nRéponse publiée au JO le : 21/02/2023 page : 1789\r\n" +
	"Ministère interrogé : Transformation et fonction publiques\r\nMinistère répondant : Transformation et fonction publiques\r\n" +
	"### Texte de la question\r\nMme Jeanne Durand interroge M. le ministre de la transformation et de la fonction publiques sur le " +
	"transfert de services à Bordeaux.\r\n### Texte de la réponse\r\nLe transfert est prévu au 1er trimestre 2024 ; la " +
	"consultation des agents aura lieu en mars 2023.\r\n"

func intp(n int) *int { return &n }

func day(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestParseQuestionLayouts reads each layout into the values computed by hand.
func TestParseQuestionLayouts(t *testing.T) {
	real, err := os.ReadFile("testdata/question-ecrite-25585.txt")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, text string
		want       Question
		announced  []string // value|kind
	}{
		{"AN, Données clés (the real page)", string(real), Question{Chamber: ChamberAN, Legislature: intp(15), Number: 25585,
			Author: "M. Patrice Anato", Constituency: "Seine-Saint-Denis (3e circonscription)",
			MinistryAsked: "Action et comptes publics", MinistryAnswering: "Comptes publics",
			QuestionPublished: day(t, "2019-12-24"), QuestionPage: intp(11254), AnswerPublished: day(t, "2021-06-15"), AnswerPage: intp(4892),
			SourceURL: "https://questions.assemblee-nationale.fr/q15/15-25585QE.htm"},
			[]string{"2022-early|move", "2022-early|move"}},
		{"AN, older site", questionANOld, Question{Chamber: ChamberAN, Legislature: intp(15), Number: 25585,
			Author: "M. Patrice Anato", Constituency: "Seine-Saint-Denis",
			MinistryAsked: "Action et comptes publics", MinistryAnswering: "Comptes publics",
			QuestionPublished: day(t, "2019-12-24"), QuestionPage: intp(11254), AnswerPublished: day(t, "2021-06-15"), AnswerPage: intp(4892),
			SourceURL: "https://questions.assemblee-nationale.fr/q15/15-25585QE.htm"},
			[]string{"2022-early|move"}},
		{"AN, Question de, line breaks lost, unanswered", questionANFlat, Question{Chamber: ChamberAN, Legislature: intp(14), Number: 53210,
			Author: "Mme Marie Dupont", Constituency: "Essonne (4e circonscription)",
			MinistryAsked: "Réforme de l'État, décentralisation et fonction publique", MinistryAnswering: "",
			QuestionPublished: day(t, "2014-04-01"), QuestionPage: intp(2890),
			SourceURL: "https://questions.assemblee-nationale.fr/q14/14-53210QE.htm"},
			nil},
		{"AN, current site, CRLF and Markdown", questionANDyn, Question{Chamber: ChamberAN, Legislature: intp(16), Number: 1234,
			Author: "Mme Jeanne Durand", Constituency: "Gironde (5e circonscription)",
			MinistryAsked: "Transformation et fonction publiques", MinistryAnswering: "Transformation et fonction publiques",
			QuestionPublished: day(t, "2022-10-18"), QuestionPage: intp(4567), AnswerPublished: day(t, "2023-02-21"), AnswerPage: intp(1789),
			SourceURL: "https://www.assemblee-nationale.fr/dyn/16/questions/QANR5L16QE1234"},
			[]string{"2024-Q1|other", "2023-03|staff_consultation"}},
		{"Sénat, answered", questionSenat, Question{Chamber: ChamberSenat, Legislature: intp(15), Number: 13599,
			Author: "M. Jean-Pierre Sueur", Constituency: "Loiret",
			MinistryAsked: "Ministre de l'action et des comptes publics", MinistryAnswering: "Ministère de l'action et des comptes publics",
			QuestionPublished: day(t, "2019-12-26"), QuestionPage: intp(6299), AnswerPublished: day(t, "2020-06-25"), AnswerPage: intp(2888)},
			[]string{"2021-S2|move", "2022-late|works"}},
		{"Sénat, waiting, one line", questionSenatWaiting, Question{Chamber: ChamberSenat, Number: 9860,
			Author: "Mme Anne Martin", Constituency: "Haute-Vienne",
			MinistryAsked: "Ministre de l'action et des comptes publics", MinistryAnswering: "Ministère de l'action et des comptes publics",
			QuestionPublished: day(t, "2019-04-04"), QuestionPage: intp(1766),
			SourceURL: "https://www.senat.fr/questions/base/2019/qSEQ190409860.html"},
			nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := ParseQuestion(c.text)
			if err != nil {
				t.Fatalf("ParseQuestion: %v", err)
			}
			q.QuestionText, q.AnswerText = "", ""
			if got, want := describeQuestion(q), describeQuestion(c.want); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			q2, _ := ParseQuestion(c.text)
			var got []string
			for _, a := range q2.AnnouncedDates() {
				got = append(got, a.Date.String()+"|"+a.Kind)
				if !strings.Contains(a.Sentence, a.Date.Label()[len(a.Date.Label())-4:]) {
					t.Errorf("sentence %q does not hold the year of %s", a.Sentence, a.Date)
				}
			}
			if strings.Join(got, ",") != strings.Join(c.announced, ",") {
				t.Errorf("announced %v, want %v", got, c.announced)
			}
		})
	}
}

// describeQuestion prints every field, pointers dereferenced, for comparison.
func describeQuestion(q Question) string {
	p := func(n *int) string {
		if n == nil {
			return "nil"
		}
		return time.Duration(*n).String()
	}
	return strings.Join([]string{q.Chamber, p(q.Legislature), p(&q.Number), q.Author, q.Constituency, q.MinistryAsked,
		q.MinistryAnswering, q.QuestionPublished.String(), p(q.QuestionPage), q.AnswerPublished.String(), p(q.AnswerPage),
		q.SourceURL}, "\n")
}

// TestQuestionDays: 539 days from 24 December 2019 to 15 June 2021 (2020 is a leap
// year: 366 + 173); an unanswered question counts to today.
func TestQuestionDays(t *testing.T) {
	q := Question{QuestionPublished: day(t, "2019-12-24"), AnswerPublished: day(t, "2021-06-15")}
	if n, ok := q.DaysToAnswer(); !ok || n != 539 {
		t.Errorf("days to answer %d %v, want 539", n, ok)
	}
	if _, ok := q.DaysWithoutAnswer(day(t, "2022-01-01")); ok {
		t.Error("an answered question has days without answer")
	}
	open := Question{QuestionPublished: day(t, "2014-04-01")}
	if n, ok := open.DaysWithoutAnswer(day(t, "2014-10-01")); !ok || n != 183 {
		t.Errorf("days without answer %d %v, want 183 (30+31+30+31+31+30)", n, ok)
	}
	senat, _ := ParseQuestion(questionSenat)
	if n, _ := senat.DaysToAnswer(); n != 182 {
		t.Errorf("Sénat: %d days, want 182 (5+31+29+31+30+31+25)", n)
	}
}

// TestParseQuestionAnnouncedSentence: the sentence of the real answer's first date.
func TestParseQuestionAnnouncedSentence(t *testing.T) {
	real, _ := os.ReadFile("testdata/question-ecrite-25585.txt")
	q, err := ParseQuestion(string(real))
	if err != nil {
		t.Fatal(err)
	}
	a := q.AnnouncedDates()
	if len(a) != 2 {
		t.Fatalf("announced %+v, want 2", a)
	}
	if a[0].Sentence != "Son déménagement en Seine-Saint-Denis aura lieu début 2022." {
		t.Errorf("first sentence %q", a[0].Sentence)
	}
	if !strings.HasPrefix(a[1].Sentence, "Une lettre d'intention a été signée il y a quelques jours") ||
		!strings.HasSuffix(a[1].Sentence, "tout début 2022.") {
		t.Errorf("second sentence %q", a[1].Sentence)
	}
	if !strings.HasPrefix(q.QuestionText, "M. Patrice Anato interroge") || !strings.HasSuffix(q.AnswerText, "tout début 2022.") {
		t.Errorf("texts %q … %q", q.QuestionText[:30], q.AnswerText[len(q.AnswerText)-30:])
	}
}

// TestParseQuestionRefusals names what a text lacks, in French, field by field.
func TestParseQuestionRefusals(t *testing.T) {
	cases := []struct{ name, text, fields string }{
		{"empty", "  \n ", "text"},
		{"not a question", "Communiqué de presse : le CLEISS s'installe à Montreuil début 2022.", "text"},
		{"a question to the Government", "ASSEMBLÉE NATIONALE Question au Gouvernement de M. X, séance du 3 mars 2020", "text"},
		{"typed otherwise", "ASSEMBLÉE NATIONALE Type de question : Question orale sans débat Numéro de la question : 12 " +
			"Question publiée au JO le : 03/03/2020", "text"},
		{"no number", "ASSEMBLÉE NATIONALE Question écrite de M. X. Question publiée au JO le : 24/12/2019 page : 11254", "number"},
		{"no date", "ASSEMBLÉE NATIONALE Question écrite n° 25585 de M. Patrice Anato", "question_published"},
		{"neither", "Question écrite, texte sans numéro ni date", "number,question_published,chamber"},
		{"answer before question", "ASSEMBLÉE NATIONALE Question écrite n° 1 Question publiée au JO le : 24/12/2019 " +
			"Réponse publiée au JO le : 01/12/2019", "answer_published"},
		{"too long", "Question écrite n° 1 " + strings.Repeat("x", MaxQuestionText), "text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseQuestion(c.text)
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID {
				t.Fatalf("err %v, want EINVALID", err)
			}
			var fields []string
			for _, f := range e.Fields {
				fields = append(fields, f.Field)
				if f.Message == "" || strings.Contains(f.Message, "invalid") {
					t.Errorf("message %q", f.Message)
				}
			}
			if strings.Join(fields, ",") != c.fields {
				t.Errorf("fields %v, want %s (%+v)", fields, c.fields, e.Fields)
			}
		})
	}
}

// TestParseQuestionLongTextIsLinear: half a megabyte of prose with labels everywhere
// (the Assemblée's, then the Sénat's) is read in linear time (RE2 only, bounded looks
// back). The bound is loose: the machine may be busy.
func TestParseQuestionLongTextIsLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("ASSEMBLÉE NATIONALE Question écrite n° 1 Question publiée au JO le : 24/12/2019 Texte de la réponse ")
	for b.Len() < MaxQuestionText-200 {
		b.WriteString("Réponse publiée au JO le : 15/06/2021 début 2022 (Loiret - ((( M. X interroge ")
	}
	var senat strings.Builder
	senat.WriteString("Question écrite n° 1 de M. X (Loiret - SOCR) publiée dans le JO Sénat du 26/12/2019 - page 1 ")
	for senat.Len() < MaxQuestionText-200 {
		senat.WriteString("publiée dans le JO Sénat du 26/12/2019 - page 1 x ")
	}
	for _, text := range []string{b.String(), senat.String()} {
		start := time.Now()
		q, err := ParseQuestion(text)
		if err != nil {
			t.Fatal(err)
		}
		q.AnnouncedDates()
		// Linear is well under a second here (0.3 s of CPU measured); quadratic, minutes.
		if d := time.Since(start); d > 20*raceSlowdown*time.Second {
			t.Errorf("parsed in %s", d)
		}
	}
}
