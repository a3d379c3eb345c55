package relocation_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ministere/tracker/relocation"
)

// readQuestion parses the CLEISS question's page; unanswered cuts the answer from it,
// as the page read before 15 June 2021.
func readQuestion(t *testing.T, unanswered bool) relocation.Question {
	t.Helper()
	b, err := os.ReadFile("testdata/question-ecrite-25585.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if unanswered {
		before, after, _ := strings.Cut(text, "Texte de la réponse")
		_, tail, _ := strings.Cut(after, "Données clés")
		text = before + "Données clés" + tail
		text = text[:strings.Index(text, "Réponse publiée au JO")]
	}
	q, err := relocation.ParseQuestion(text)
	if err != nil {
		t.Fatal(err)
	}
	if q.Answered() == unanswered {
		t.Fatalf("answered = %v", q.Answered())
	}
	return q
}

// counts is what an import may change.
type counts struct{ milestones, questions, journal, revision int }

func (e actionEnv) counts(t *testing.T) counts {
	t.Helper()
	var c counts
	for _, q := range []struct {
		dst *int
		sql string
	}{{&c.milestones, `SELECT count(*) FROM milestones`}, {&c.questions, `SELECT count(*) FROM written_questions`},
		{&c.journal, `SELECT count(*) FROM journal`}, {&c.revision, `SELECT revision FROM relocations`}} {
		if err := e.db.Get(q.dst, q.sql); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// TestImportQuestionMakesDatedSourcedMilestones: the CLEISS page makes the question's
// and the answer's milestones, done on their JO dates and citing them; the same text
// again changes nothing.
func TestImportQuestionMakesDatedSourcedMilestones(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	start := e.counts(t)
	got, err := e.s.ImportQuestion(ctx, tester, e.r.ID, relocation.Given(readQuestion(t, false)), false)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Changed || len(got.Made) != 2 || got.Question.ID == 0 {
		t.Fatalf("import = %+v", got)
	}
	want := []struct{ title, planned, actual, source string }{
		{"Question écrite n° 25585 (M. Patrice Anato)", "2019-12-24", "2019-12-24", "JO du 24 décembre 2019, p. 11254"},
		{"Réponse à la question écrite n° 25585", "2021-06-15", "2021-06-15", "JO du 15 juin 2021, p. 4892"},
	}
	ms, _ := e.s.Milestones(ctx, e.r.ID)
	if len(ms) != 2 {
		t.Fatalf("%d milestones", len(ms))
	}
	for i, w := range want {
		m := ms[i]
		if m.Title != w.title || m.Planned.String() != w.planned || m.Actual.String() != w.actual || m.Source != w.source ||
			m.Kind != "parliamentary_question" || m.SourceURL == nil || *m.SourceURL != "https://questions.assemblee-nationale.fr/q15/15-25585QE.htm" {
			t.Errorf("milestone %d = %+v, want %+v", i, m, w)
		}
	}
	if *got.Question.QuestionMilestoneID != ms[0].ID || *got.Question.AnswerMilestoneID != ms[1].ID {
		t.Errorf("links %v %v", *got.Question.QuestionMilestoneID, *got.Question.AnswerMilestoneID)
	}
	if !strings.Contains(ms[1].Notes, "539 jours") {
		t.Errorf("answer notes %q", ms[1].Notes)
	}
	after := e.counts(t)
	if after.journal != start.journal+3 || after.revision <= start.revision || after.questions != 1 {
		t.Errorf("counts %+v → %+v: want 3 journal entries (question, two milestones), a higher revision", start, after)
	}

	again, err := e.s.ImportQuestion(ctx, tester, e.r.ID, relocation.Given(readQuestion(t, false)), false)
	if err != nil {
		t.Fatal(err)
	}
	if again.Changed || len(again.Made) != 0 || again.Question.Version != got.Question.Version {
		t.Errorf("second import = %+v", again)
	}
	if c := e.counts(t); c != after {
		t.Errorf("second import changed %+v → %+v", after, c)
	}
}

// TestImportQuestionLaterAnswerAddsIt: imported while unanswered, the question makes one
// milestone; the page pasted again once answered adds the answer's, and only it.
func TestImportQuestionLaterAnswerAddsIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	first, err := e.s.ImportQuestion(ctx, tester, e.r.ID, relocation.Given(readQuestion(t, true)), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Made) != 1 || first.Question.AnswerMilestoneID != nil || first.Question.Answered() {
		t.Fatalf("first = %+v", first)
	}
	second, err := e.s.ImportQuestion(ctx, tester, e.r.ID, relocation.Given(readQuestion(t, false)), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Made) != 1 || second.Made[0].Title != "Réponse à la question écrite n° 25585" ||
		second.Question.ID != first.Question.ID || second.Question.AnswerPublished.String() != "2021-06-15" ||
		*second.Question.AnswerPage != 4892 || second.Question.Version != first.Question.Version+1 {
		t.Fatalf("second = %+v", second)
	}
	// The older page again removes nothing.
	third, err := e.s.ImportQuestion(ctx, tester, e.r.ID, relocation.Given(readQuestion(t, true)), false)
	if err != nil || third.Changed || !third.Question.Answered() {
		t.Fatalf("third = %+v, %v", third, err)
	}
	if c := e.counts(t); c.milestones != 2 || c.questions != 1 {
		t.Errorf("counts %+v", c)
	}
}

// TestImportQuestionDryRunWritesNothing: a dry run says what would be made, without ids,
// and leaves the database as it was.
func TestImportQuestionDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	before := e.counts(t)
	got, err := e.s.ImportQuestion(ctx, tester, e.r.ID, relocation.Given(readQuestion(t, false)), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Made) != 2 || got.Made[0].ID != 0 || got.Made[1].Source != "JO du 15 juin 2021, p. 4892" {
		t.Errorf("dry run = %+v", got.Made)
	}
	if c := e.counts(t); c != before {
		t.Errorf("dry run changed %+v → %+v", before, c)
	}
}

// TestImportQuestionLinksHandMadeMilestones: a milestone already made by hand for the
// question's publication is linked, not doubled; a deleted one is made again.
func TestImportQuestionLinksHandMadeMilestones(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	hand, err := e.s.CreateMilestone(ctx, tester, e.r.ID, relocation.Given(relocation.Milestone{Kind: "parliamentary_question",
		Title: "Question écrite n° 25585 de M. Patrice Anato", Planned: mustFuzzy(t, "2019-12-24"), Actual: relocation.Date{Year: 2019, Month: 12, Day: 24},
		Source: "Question écrite n° 25585, JO du 24 décembre 2019, p. 11254"}))
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.s.ImportQuestion(ctx, tester, e.r.ID, relocation.Given(readQuestion(t, false)), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Made) != 1 || *got.Question.QuestionMilestoneID != hand.ID {
		t.Fatalf("import = %+v", got)
	}
	if err := e.s.DeleteMilestone(ctx, tester, *got.Question.AnswerMilestoneID, relocation.Unconditional()); err != nil {
		t.Fatal(err)
	}
	again, err := e.s.ImportQuestion(ctx, tester, e.r.ID, relocation.Given(readQuestion(t, false)), false)
	if err != nil || len(again.Made) != 1 || again.Made[0].Title != "Réponse à la question écrite n° 25585" {
		t.Fatalf("again = %+v, %v", again, err)
	}
	if c := e.counts(t); c.milestones != 2 {
		t.Errorf("%d milestones, want 2", c.milestones)
	}
}

// TestImportQuestionRights: a viewer, or a manager not assigned, may not import;
// nothing changes.
func TestImportQuestionRights(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	before := e.counts(t)
	for _, by := range []relocation.Actor{e.user(t, "lecteur@x.fr", "viewer", false), e.user(t, "autre@x.fr", "manager", false)} {
		for _, dry := range []bool{false, true} {
			if _, err := e.s.ImportQuestion(ctx, by, e.r.ID, relocation.Given(readQuestion(t, false)), dry); relocation.ErrorCode(err) != relocation.EFORBIDDEN {
				t.Errorf("%s (dry run %v): %v, want forbidden", by.Name, dry, err)
			}
		}
	}
	if c := e.counts(t); c != before {
		t.Errorf("refusals changed %+v → %+v", before, c)
	}
}
