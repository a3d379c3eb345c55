package relocation

import (
	"os"
	"testing"
	"time"
)

// FuzzParseQuestion: any text is read or refused, never a panic, in bounded time; what
// is read has a chamber, a number and a publication date, an answer not before the
// question, and announced dates FuzzyDate can write.
func FuzzParseQuestion(f *testing.F) {
	real, _ := os.ReadFile("testdata/question-ecrite-25585.txt")
	for _, s := range []string{string(real), questionANOld, questionANFlat, questionSenat, questionSenatWaiting, "",
		"Question écrite n° 1 publiée dans le JO Sénat du 31/02/2019 - page", "Question de : M. (((("} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		start := time.Now()
		q, err := ParseQuestion(text)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if q.Number <= 0 || q.QuestionPublished.IsZero() || (q.Chamber != ChamberAN && q.Chamber != ChamberSenat) {
			t.Fatalf("accepted without number, date or chamber: %+v", q)
		}
		if q.Answered() && q.AnswerPublished.Before(q.QuestionPublished) {
			t.Fatalf("answer before question: %+v", q)
		}
		for _, a := range q.AnnouncedDates() {
			if _, err := ParseFuzzyDate(a.Date.String()); err != nil || !IsMilestoneKind(a.Kind) {
				t.Fatalf("announced %+v", a)
			}
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("%d bytes read in %s", len(text), d)
		}
	})
}
