package relocation

import (
	"fmt"
	"slices"
	"strings"
)

// chambers are the chambers a written question is asked in; the CHECK on
// written_questions.chamber allows the same (TestAllowedValuesMatchDatabase, in ui).
var chambers = []string{ChamberAN, ChamberSenat}

// Chambers returns the chambers of Parliament (a copy).
func Chambers() []string { return slices.Clone(chambers) }

// Ref names the question in French: « Question écrite n° 25585 », « … au Sénat ».
func (q Question) Ref() string {
	ref := fmt.Sprintf("question écrite n° %d", q.Number)
	if q.Chamber == ChamberSenat {
		ref += " au Sénat"
	}
	return ref
}

// JO cites a publication of the Journal officiel: « JO du 24 décembre 2019, p. 11254 »
// (« JO Sénat du … » for the Sénat; no page when the text gave none).
func (q Question) JO(d Date, page *int) string {
	jo := "JO"
	if q.Chamber == ChamberSenat {
		jo = "JO Sénat"
	}
	s := jo + " du " + d.Label()
	if page != nil {
		s += fmt.Sprintf(", p. %d", *page)
	}
	return s
}

// sourceURLPtr returns the question's address for a milestone, nil when unknown.
func (q Question) sourceURLPtr() *string {
	if q.SourceURL == "" {
		return nil
	}
	u := q.SourceURL
	return &u
}

// QuestionMilestone returns the milestone of the question's publication: done on that
// day, citing the JO. Title « Question écrite n° 25585 (M. Patrice Anato) ».
func (q Question) QuestionMilestone() Milestone {
	title := capitalizeFirst(q.Ref())
	if q.Author != "" {
		title += " (" + q.Author + ")"
	}
	var notes []string
	if q.Author != "" {
		who := "Question de " + q.Author
		if q.Constituency != "" {
			who += ", " + q.Constituency
		}
		notes = append(notes, who)
	}
	if q.MinistryAsked != "" {
		notes = append(notes, "ministère interrogé : "+q.MinistryAsked)
	}
	d := fuzzyDay(q.QuestionPublished)
	return Milestone{Kind: "parliamentary_question", Title: title, Planned: d, Actual: q.QuestionPublished,
		Source: q.JO(q.QuestionPublished, q.QuestionPage), SourceURL: q.sourceURLPtr(), Notes: sentence(notes)}
}

// AnswerMilestone returns the milestone of the answer's publication (q must be
// answered): done on that day, citing the JO. Title « Réponse à la question écrite n° 25585 ».
func (q Question) AnswerMilestone() Milestone {
	var notes []string
	if q.MinistryAnswering != "" {
		notes = append(notes, "Ministère répondant : "+q.MinistryAnswering)
	}
	if n, ok := q.DaysToAnswer(); ok {
		notes = append(notes, fmt.Sprintf("réponse publiée %d jours après la question", n))
	}
	d := fuzzyDay(q.AnswerPublished)
	return Milestone{Kind: "parliamentary_question", Title: "Réponse à la " + q.Ref(), Planned: d, Actual: q.AnswerPublished,
		Source: q.JO(q.AnswerPublished, q.AnswerPage), SourceURL: q.sourceURLPtr(), Notes: sentence(notes)}
}

// announcedTitles name the milestone an announced date makes, by kind.
var announcedTitles = map[string]string{
	"move": "Déménagement annoncé", "works": "Travaux annoncés", "lease": "Bail annoncé",
	"letter_of_intent": "Lettre d’intention annoncée", "staff_consultation": "Consultation du personnel annoncée",
	"site_decision": "Choix du site annoncé", "other": "Échéance annoncée",
}

// AnnouncedMilestone returns the planned milestone of kind that an announced date of
// q's answer makes: planned at that date, citing the answer, the sentence in its notes.
func (q Question) AnnouncedMilestone(a AnnouncedDate, kind string) Milestone {
	title := announcedTitles[kind]
	if title == "" {
		title = announcedTitles["other"]
	}
	return Milestone{Kind: kind, Title: title + " (réponse à la " + q.Ref() + ")", Planned: a.Date,
		Source: "Réponse à la " + q.Ref() + ", " + q.JO(q.AnswerPublished, q.AnswerPage), SourceURL: q.sourceURLPtr(),
		Notes: "« " + a.Sentence + " »"}
}

// sentence joins parts into one sentence ending with a full stop ("" for none).
func sentence(parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, " ; ") + "."
}
