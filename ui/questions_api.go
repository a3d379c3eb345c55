package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// questionInput is the body of POST /relocations/{id}/questions: a question's page as
// pasted.
type questionInput struct {
	Text *string `json:"text" validate:"required"`
}

// questionJSON is a written question as the API returns it: the fields of SPEC, the
// days it waited, the dates its answer announces; id and the milestones' ids once
// imported (null on a dry run of a question not imported yet).
type questionJSON struct {
	ID                  *int64          `json:"id"`
	Chamber             string          `json:"chamber"`
	Legislature         *int            `json:"legislature"`
	Number              int             `json:"number"`
	Author              string          `json:"author"`
	Constituency        string          `json:"constituency"`
	MinistryAsked       string          `json:"ministry_asked"`
	MinistryAnswering   string          `json:"ministry_answering"`
	QuestionPublished   relocation.Date `json:"question_published"`
	QuestionPage        *int            `json:"question_page"`
	AnswerPublished     relocation.Date `json:"answer_published"`
	AnswerPage          *int            `json:"answer_page"`
	DaysToAnswer        *int            `json:"days_to_answer"`
	DaysWithoutAnswer   *int            `json:"days_without_answer"`
	AnnouncedDates      []announcedJSON `json:"announced_dates"`
	SourceURL           *string         `json:"source_url"`
	QuestionMilestoneID *int64          `json:"question_milestone_id"`
	AnswerMilestoneID   *int64          `json:"answer_milestone_id"`
}

// announcedJSON is a date an answer announces: the FuzzyDate's four fields, the
// sentence it comes from, and the kind of milestone it would make.
type announcedJSON struct {
	Value    string `json:"value"`
	Label    string `json:"label"`
	Start    string `json:"start"`
	End      string `json:"end"`
	Sentence string `json:"sentence"`
	Kind     string `json:"kind"`
}

func toQuestionJSON(q relocation.ImportedQuestion, today relocation.Date) questionJSON {
	out := questionJSON{Chamber: q.Chamber, Legislature: q.Legislature, Number: q.Number, Author: q.Author,
		Constituency: q.Constituency, MinistryAsked: q.MinistryAsked, MinistryAnswering: q.MinistryAnswering,
		QuestionPublished: q.QuestionPublished, QuestionPage: q.QuestionPage, AnswerPublished: q.AnswerPublished,
		AnswerPage: q.AnswerPage, AnnouncedDates: []announcedJSON{},
		QuestionMilestoneID: q.QuestionMilestoneID, AnswerMilestoneID: q.AnswerMilestoneID}
	if q.ID != 0 {
		out.ID = &q.ID
	}
	if n, ok := q.DaysToAnswer(); ok {
		out.DaysToAnswer = &n
	}
	if n, ok := q.DaysWithoutAnswer(today); ok {
		out.DaysWithoutAnswer = &n
	}
	if q.SourceURL != "" {
		out.SourceURL = &q.SourceURL
	}
	for _, a := range q.AnnouncedDates() {
		out.AnnouncedDates = append(out.AnnouncedDates, announcedJSON{Value: a.Date.String(), Label: a.Date.Label(),
			Start: a.Date.Start().String(), End: a.Date.End().String(), Sentence: a.Sentence, Kind: a.Kind})
	}
	return out
}

// plannedMilestoneJSON is a milestone a dry run would make (it has no id yet).
type plannedMilestoneJSON struct {
	milestoneFacts
	Status string `json:"status"`
}

// apiImportQuestion imports a written question's page on a relocation (?dry_run=true:
// says what it would make, writes nothing): 200 with the question and the milestones
// made, or that would be made. A text that is not a written question is refused (422).
func (s *Server) apiImportQuestion(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	dryRun, badDryRun := queryBool(c, "dry_run") // refused after the rights, with the body
	res, err := s.store.ImportQuestion(c.UserContext(), s.actor(c), id, func() (relocation.Question, error) {
		if badDryRun != nil {
			return relocation.Question{}, badDryRun
		}
		var in questionInput
		if err := s.decodeValid(c, &in); err != nil {
			return relocation.Question{}, err
		}
		return relocation.ParseQuestion(*in.Text)
	}, dryRun)
	if err != nil {
		return err
	}
	today := s.today()
	out := struct {
		Question   questionJSON `json:"question"`
		Milestones []any        `json:"milestones"`
		DryRun     bool         `json:"dry_run"`
		Changed    bool         `json:"changed"`
	}{Question: toQuestionJSON(res.Question, today), Milestones: []any{}, DryRun: dryRun, Changed: res.Changed}
	for _, m := range res.Made {
		if dryRun {
			out.Milestones = append(out.Milestones, plannedMilestoneJSON{milestoneFacts: factsOf(m), Status: m.Status(today)})
		} else {
			out.Milestones = append(out.Milestones, toMilestoneJSON(m, today))
		}
	}
	return c.JSON(out)
}

// queryBool reads a boolean query parameter: absent, "false" or "0" is false, "true"
// or "1" true; anything else is refused (422), not taken for either.
func queryBool(c *fiber.Ctx, name string) (bool, error) {
	switch c.Query(name) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, relocation.Invalid(relocation.FieldError{Field: name, Message: "true ou false attendu"})
}
