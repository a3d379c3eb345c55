package relocation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// EntityQuestion is the journal's name for an imported written question.
const EntityQuestion = "question"

// QuestionNotFound is the refusal of an imported question that does not exist.
const QuestionNotFound = "Cette question écrite n’a pas été importée sur ce projet."

// ImportedQuestion is a written question imported on a relocation, with the milestones
// its import made (nil when not made yet, or deleted since).
type ImportedQuestion struct {
	ID           int64 `db:"id"`
	RelocationID int64 `db:"relocation_id"`
	Question
	QuestionMilestoneID *int64    `db:"question_milestone_id"`
	AnswerMilestoneID   *int64    `db:"answer_milestone_id"`
	Version             int       `db:"version"`
	CreatedAt           time.Time `db:"created_at"`
	UpdatedAt           time.Time `db:"updated_at"`
}

const questionColumns = `id, relocation_id, chamber, legislature, number, author, constituency, ministry_asked,
	ministry_answering, question_published, question_page, answer_published, answer_page, question_text, answer_text,
	source_url, question_milestone_id, answer_milestone_id, version, created_at, updated_at`

// Fields returns what the journal records of an imported question (not its texts).
func (q ImportedQuestion) Fields() Fields {
	return Fields{
		"chamber": q.Chamber, "legislature": deref(q.Legislature), "number": q.Number, "author": q.Author,
		"constituency": q.Constituency, "ministry_asked": q.MinistryAsked, "ministry_answering": q.MinistryAnswering,
		"question_published": q.QuestionPublished.String(), "question_page": deref(q.QuestionPage),
		"answer_published": nilIfEmpty(q.AnswerPublished.String()), "answer_page": deref(q.AnswerPage),
		"source_url": q.SourceURL, "question_milestone_id": deref(q.QuestionMilestoneID),
		"answer_milestone_id": deref(q.AnswerMilestoneID),
	}
}

// QuestionImport is what importing a question did, or would do on a dry run.
type QuestionImport struct {
	Question ImportedQuestion
	Made     []Milestone // the milestones made (on a dry run: that would be made, without ids)
	Changed  bool        // the import changed something
}

// errDryRun rolls a dry run's action back once it has run.
var errDryRun = errors.New("relocation: dry run")

// ImportQuestion records q on relocation relocationID and makes its milestones: the
// question's and, when answered, the answer's, done on their publication dates. A
// question already imported (same chamber and number, same legislature — or the same
// publication date when either text gave no legislature) is completed, never doubled:
// the same text again changes nothing; a later one with the answer adds the answer. A
// milestone made by hand for the same publication (kind parliamentary_question, done
// that day, its title or source naming the number) is linked instead of doubled.
// Announced dates are not made here (see AnnouncedMilestone). With dryRun the action
// runs and is rolled back: the result says what would be made, nothing is written.
// input gives the question, run under the lock once the rights are checked (so that
// refusals keep their order). Errors: see Act; input's.
func (s *Store) ImportQuestion(ctx context.Context, by Actor, relocationID int64, input func() (Question, error), dryRun bool) (QuestionImport, error) {
	var out QuestionImport
	var found bool
	err := Act(ctx, s.db, by, relocationID, func(tx *Tx) error {
		out = QuestionImport{}
		q, err := input()
		if err != nil {
			return err
		}
		var cur ImportedQuestion
		if cur, found, err = findImported(ctx, tx, q); err != nil {
			return err
		}
		next := cur
		if !found {
			next = ImportedQuestion{RelocationID: relocationID, Question: q}
		} else {
			next.Question = mergeQuestion(cur.Question, q)
		}
		if next.QuestionMilestoneID == nil {
			if next.QuestionMilestoneID, err = tx.questionMilestone(ctx, next.QuestionMilestone(), next.Number, &out); err != nil {
				return err
			}
		}
		if next.Answered() && next.AnswerMilestoneID == nil {
			if next.AnswerMilestoneID, err = tx.questionMilestone(ctx, next.AnswerMilestone(), next.Number, &out); err != nil {
				return err
			}
		}
		if out.Question, err = tx.saveQuestion(ctx, cur, next, found); err != nil {
			return err
		}
		out.Changed = tx.journaled
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		return forgetDryRun(out, found), nil
	}
	return out, err
}

// forgetDryRun removes from a dry run's result what the rolled-back transaction gave:
// the new milestones' ids and, for a question not imported before, its own.
func forgetDryRun(out QuestionImport, found bool) QuestionImport {
	q := &out.Question
	for i := range out.Made {
		m := &out.Made[i]
		if q.QuestionMilestoneID != nil && *q.QuestionMilestoneID == m.ID {
			q.QuestionMilestoneID = nil
		}
		if q.AnswerMilestoneID != nil && *q.AnswerMilestoneID == m.ID {
			q.AnswerMilestoneID = nil
		}
		m.ID, m.Version = 0, 0
		m.CreatedAt, m.UpdatedAt = time.Time{}, time.Time{}
	}
	if !found {
		q.ID, q.Version = 0, 0
		q.CreatedAt, q.UpdatedAt = time.Time{}, time.Time{}
	}
	return out
}

// findImported reads, under the relocation's lock, the import of q on the action's
// relocation, if any.
func findImported(ctx context.Context, tx *Tx, q Question) (ImportedQuestion, bool, error) {
	var cur ImportedQuestion
	err := tx.Get(ctx, &cur, `SELECT `+questionColumns+` FROM written_questions
		WHERE relocation_id = $1 AND chamber = $2 AND number = $3
		AND (legislature = $4 OR ((legislature IS NULL OR $4::integer IS NULL) AND question_published = $5))
		ORDER BY id LIMIT 1`, tx.Relocation.ID, q.Chamber, q.Number, q.Legislature, q.QuestionPublished)
	if err != nil {
		err = DBError("question: find", err, QuestionNotFound)
		if ErrorCode(err) == ENOTFOUND {
			return cur, false, nil
		}
		return cur, false, err
	}
	return cur, true, nil
}

// mergeQuestion completes what was imported with what a new text tells: the answer
// once published, the legislature and the other fields the first text lacked. A text
// without the answer never removes one.
func mergeQuestion(cur, next Question) Question {
	out := cur
	if out.Legislature == nil {
		out.Legislature = next.Legislature
	}
	if out.QuestionPage == nil {
		out.QuestionPage = next.QuestionPage
	}
	if !out.Answered() && next.Answered() {
		out.AnswerPublished, out.AnswerPage, out.AnswerText = next.AnswerPublished, next.AnswerPage, next.AnswerText
		if next.MinistryAnswering != "" {
			out.MinistryAnswering = next.MinistryAnswering
		}
	}
	for _, f := range []struct {
		dst *string
		src string
	}{{&out.Author, next.Author}, {&out.Constituency, next.Constituency},
		{&out.MinistryAsked, next.MinistryAsked}, {&out.MinistryAnswering, next.MinistryAnswering},
		{&out.QuestionText, next.QuestionText}, {&out.SourceURL, next.SourceURL}} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	if out.Answered() && out.AnswerPage == nil {
		out.AnswerPage = next.AnswerPage
	}
	return out
}

// questionMilestone links the milestone made by hand for m's publication when there is
// one (see ImportQuestion), else makes m; it returns the milestone's id.
func (tx *Tx) questionMilestone(ctx context.Context, m Milestone, number int, out *QuestionImport) (*int64, error) {
	var ids []int64
	err := tx.Select(ctx, &ids, `SELECT id FROM milestones m WHERE relocation_id = $1 AND kind = $2 AND actual = $3
		AND (title ~ ('\m' || $4 || '\M') OR source ~ ('\m' || $4 || '\M'))
		AND NOT EXISTS (SELECT 1 FROM written_questions w WHERE w.question_milestone_id = m.id OR w.answer_milestone_id = m.id)
		ORDER BY id LIMIT 1`, tx.Relocation.ID, m.Kind, m.Actual, fmt.Sprint(number))
	if err != nil {
		return nil, DBError("question: find a milestone", err, "")
	}
	if len(ids) > 0 {
		return &ids[0], nil
	}
	made, err := tx.insertMilestone(ctx, m)
	if err != nil {
		return nil, err
	}
	out.Made = append(out.Made, made)
	return &made.ID, nil
}

// saveQuestion writes next (a new import when !found), journaled; nothing when it
// changes nothing.
func (tx *Tx) saveQuestion(ctx context.Context, cur, next ImportedQuestion, found bool) (ImportedQuestion, error) {
	var before Fields
	if found {
		before = cur.Fields()
	}
	changes := Diff(before, next.Fields())
	textChanged := cur.QuestionText != next.QuestionText || cur.AnswerText != next.AnswerText
	if found && len(changes) == 0 && !textChanged {
		return cur, nil
	}
	var out ImportedQuestion
	var err error
	if !found {
		err = tx.WriteGet(ctx, &out, `INSERT INTO written_questions (relocation_id, chamber, legislature, number, author,
			constituency, ministry_asked, ministry_answering, question_published, question_page, answer_published, answer_page,
			question_text, answer_text, source_url, question_milestone_id, answer_milestone_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING `+questionColumns,
			tx.Relocation.ID, next.Chamber, next.Legislature, next.Number, next.Author, next.Constituency, next.MinistryAsked,
			next.MinistryAnswering, next.QuestionPublished, next.QuestionPage, next.AnswerPublished, next.AnswerPage,
			next.QuestionText, next.AnswerText, next.SourceURL, next.QuestionMilestoneID, next.AnswerMilestoneID)
	} else {
		err = tx.WriteGet(ctx, &out, `UPDATE written_questions SET legislature = $2, author = $3, constituency = $4,
			ministry_asked = $5, ministry_answering = $6, question_page = $7, answer_published = $8, answer_page = $9,
			question_text = $10, answer_text = $11, source_url = $12, question_milestone_id = $13, answer_milestone_id = $14,
			version = version + 1, updated_at = now() WHERE id = $1 RETURNING `+questionColumns,
			cur.ID, next.Legislature, next.Author, next.Constituency, next.MinistryAsked, next.MinistryAnswering,
			next.QuestionPage, next.AnswerPublished, next.AnswerPage, next.QuestionText, next.AnswerText, next.SourceURL,
			next.QuestionMilestoneID, next.AnswerMilestoneID)
	}
	if err != nil {
		return out, DBError("question: save", err, QuestionNotFound)
	}
	action := ActionCreate
	if found {
		action = ActionUpdate
		if len(changes) == 0 {
			changes = map[string]Change{"answer_text": {Before: len(cur.AnswerText), After: len(next.AnswerText)}}
		}
	}
	return out, tx.Journal(ctx, EntityQuestion, out.ID, action, changes)
}

// Questions returns the questions imported on a relocation, oldest publication first.
func (s *Store) Questions(ctx context.Context, relocationID int64) ([]ImportedQuestion, error) {
	out := []ImportedQuestion{}
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT `+questionColumns+` FROM written_questions
		WHERE relocation_id = $1 ORDER BY question_published, id`, relocationID)
	return out, DBError("question: list", err, "")
}

// ImportedQuestion returns imported question id of relocation relocationID; ENOTFOUND
// when there is none.
func (s *Store) ImportedQuestion(ctx context.Context, relocationID, id int64) (ImportedQuestion, error) {
	var q ImportedQuestion
	err := sqlx.GetContext(ctx, s.q, &q, `SELECT `+questionColumns+` FROM written_questions
		WHERE id = $1 AND relocation_id = $2`, id, relocationID)
	return q, DBError(fmt.Sprintf("question: get %d", id), err, QuestionNotFound)
}
