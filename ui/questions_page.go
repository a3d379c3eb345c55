package ui

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// The written-question pages: paste a question's page, see what was understood and what
// it would make (a dry run of the import itself), confirm; then the imported question,
// whose announced dates each make a planned milestone in one click.

// questionImportPage is the body of the paste page, with its preview once asked.
type questionImportPage struct {
	Relocation relocation.Relocation
	Form       formState
	Preview    *questionView // nil until a text was read
	Made       []relocation.Milestone
	Known      bool // the question was imported before
}

// questionView is a question as its pages show it.
type questionView struct {
	relocation.ImportedQuestion
	Days      string // « 539 jours pour répondre », « sans réponse depuis 12 jours »
	Late      bool   // answered after, or waiting beyond, the two months the rules give
	Announced []announcedView
}

// announcedView is an announced date with the milestone it would make.
type announcedView struct {
	relocation.AnnouncedDate
	Index     int
	Milestone relocation.Milestone
	Made      *relocation.Milestone // its milestone, when made: same source, first planned date and sentence
}

// answerDelayDays is the two months the Assemblée's rules (art. 135) give a minister.
const answerDelayDays = 61

// newQuestionView writes q for the pages, as of today, beside the relocation's
// milestones ms: with a move milestone already, the move date an answer announces makes
// a milestone of kind other (a relocation has one move date).
func newQuestionView(q relocation.ImportedQuestion, today relocation.Date, ms []relocation.Milestone) *questionView {
	moveTaken := false
	for _, m := range ms {
		moveTaken = moveTaken || m.Kind == "move"
	}
	v := &questionView{ImportedQuestion: q}
	if n, ok := q.DaysToAnswer(); ok {
		v.Days, v.Late = plural(n, "jour")+" pour répondre", n > answerDelayDays
	} else if n, ok := q.DaysWithoutAnswer(today); ok {
		v.Days, v.Late = "sans réponse depuis "+plural(n, "jour"), n > answerDelayDays
	}
	for i, a := range q.AnnouncedDates() {
		kind := a.Kind
		if kind == "move" && moveTaken {
			kind = "other"
		}
		m := q.AnnouncedMilestone(a, kind)
		av := announcedView{AnnouncedDate: a, Index: i, Milestone: m}
		if j := slices.IndexFunc(ms, func(o relocation.Milestone) bool {
			return o.Source == m.Source && o.Baseline == m.Planned && o.Notes == m.Notes
		}); j >= 0 {
			av.Made = &ms[j]
		}
		v.Announced = append(v.Announced, av)
	}
	return v
}

// plural writes « 1 jour », « 539 jours ».
func plural(n int, word string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// pageImportQuestion shows the paste form, to the accounts that may change the relocation.
func (s *Server) pageImportQuestion(c *fiber.Ctx) error {
	r, err := s.writableRelocation(c)
	if err != nil {
		return err
	}
	return s.renderQuestionImport(c, questionImportPage{Relocation: r})
}

// formPreviewQuestion reads the pasted text and shows what it would make: the import
// itself, run and rolled back. A text refused shows the form again with why.
func (s *Server) formPreviewQuestion(c *fiber.Ctx) error {
	return s.questionImport(c, true)
}

// formImportQuestion imports the text confirmed on the preview, then shows the question.
func (s *Server) formImportQuestion(c *fiber.Ctx) error {
	return s.questionImport(c, false)
}

// questionImport runs the import of the posted text (dry run or not) and answers.
func (s *Server) questionImport(c *fiber.Ctx, dryRun bool) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	text := c.FormValue("text")
	res, err := s.store.ImportQuestion(c.UserContext(), s.actor(c), id, func() (relocation.Question, error) {
		return relocation.ParseQuestion(text)
	}, dryRun)
	page := questionImportPage{Form: formState{Values: map[string]string{"text": text}}}
	if err != nil {
		return s.formFailure(c, err, &page.Form, func() error {
			if page.Relocation, err = s.store.Relocation(c.UserContext(), id); err != nil {
				return err
			}
			return s.renderQuestionImport(c, page)
		})
	}
	if !dryRun {
		return s.redirectNotice(c, fmt.Sprintf("/projets/%d/questions/%d", id, res.Question.ID), noticeQuestionImported)
	}
	if page.Relocation, err = s.store.Relocation(c.UserContext(), id); err != nil {
		return err
	}
	page.Preview = newQuestionView(res.Question, s.today(), nil)
	page.Made, page.Known = res.Made, res.Question.ID != 0
	return s.renderQuestionImport(c, page)
}

func (s *Server) renderQuestionImport(c *fiber.Ctx, page questionImportPage) error {
	title := "Importer une question écrite"
	if page.Preview != nil {
		title = "Aperçu de la question écrite n° " + strconv.Itoa(page.Preview.Number)
	}
	return s.render(c, "question_import", pageData{Title: title, Data: page})
}

// questionPage is the body of an imported question's page.
type questionPage struct {
	Relocation relocation.Relocation
	Question   *questionView
	Milestones map[int64]relocation.Milestone // the question's and the answer's, by id
	CanEdit    bool
}

// MilestoneOf returns the milestone of id, nil when there is none (deleted since).
func (p questionPage) MilestoneOf(id *int64) *relocation.Milestone {
	if id == nil {
		return nil
	}
	if m, ok := p.Milestones[*id]; ok {
		return &m
	}
	return nil
}

// announcedNotFound refuses a date the question's answer does not announce.
const announcedNotFound = "Cette échéance n’existe pas."

// questionPath reads the path's relocation :id and its imported question :qid.
func questionPath(c *fiber.Ctx) (id, qid int64, err error) {
	if id, err = pathID(c, "id"); err != nil {
		return 0, 0, err
	}
	qid, err = pathID(c, "qid")
	return id, qid, err
}

// pageQuestion shows an imported question: what its page said, its milestones, and a
// button for each date its answer announces.
func (s *Server) pageQuestion(c *fiber.Ctx) error {
	id, qid, err := questionPath(c)
	if err != nil {
		return err
	}
	return s.renderFor(c, "question", id, func(canEdit bool) (string, any, error) {
		page := questionPage{CanEdit: canEdit, Milestones: map[int64]relocation.Milestone{}}
		err := s.snapshot(c, func(rd reader) error {
			ctx := c.UserContext()
			var err error
			if page.Relocation, err = rd.rel.Relocation(ctx, id); err != nil {
				return err
			}
			q, err := rd.rel.ImportedQuestion(ctx, id, qid)
			if err != nil {
				return err
			}
			ms, err := rd.rel.Milestones(ctx, id)
			if err != nil {
				return err
			}
			for _, m := range ms {
				page.Milestones[m.ID] = m
			}
			page.Question = newQuestionView(q, s.today(), ms)
			return nil
		})
		if err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("Question écrite n° %d", page.Question.Number), page, nil
	})
}

// formAnnouncedMilestone makes the planned milestone of announced date :n of question
// :qid's answer, then shows the relocation's milestones.
func (s *Server) formAnnouncedMilestone(c *fiber.Ctx) error {
	id, qid, err := questionPath(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 0 {
		return relocation.Errorf(relocation.ENOTFOUND, announcedNotFound)
	}
	if err := s.mayWrite(c, id); err != nil {
		return err
	}
	q, err := s.store.ImportedQuestion(c.UserContext(), id, qid)
	if err != nil {
		return err
	}
	ms, err := s.store.Milestones(c.UserContext(), id)
	if err != nil {
		return err
	}
	v := newQuestionView(q, s.today(), ms)
	if n >= len(v.Announced) {
		return relocation.Errorf(relocation.ENOTFOUND, announcedNotFound)
	}
	if v.Announced[n].Made != nil { // a second click makes nothing more
		return s.redirectNotice(c, fmt.Sprintf("/projets/%d#jalons", id), noticeMilestoneCreated)
	}
	if _, err := s.store.CreateMilestone(c.UserContext(), s.actor(c), id, relocation.Given(v.Announced[n].Milestone)); err != nil {
		return err
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d#jalons", id), noticeMilestoneCreated)
}
