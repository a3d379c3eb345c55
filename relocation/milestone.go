package relocation

import (
	"slices"
	"time"
)

// milestoneKinds are the kinds of milestone, in the order a relocation meets them; the
// CHECK on milestones.kind allows the same (TestAllowedValuesMatchDatabase, in ui,
// compares them).
var milestoneKinds = []string{"decision", "parliamentary_question", "site_search", "site_decision",
	"letter_of_intent", "lease", "staff_consultation", "works", "move", "other"}

// MilestoneKinds returns the kinds of milestone, in the order a relocation meets them
// (a copy: the caller may change it).
func MilestoneKinds() []string { return slices.Clone(milestoneKinds) }

// IsMilestoneKind reports whether s is a kind of milestone.
func IsMilestoneKind(s string) bool { return slices.Contains(milestoneKinds, s) }

// Milestone statuses, derived from the dates.
const (
	MilestoneDone    = "done"    // Actual is set
	MilestoneOverdue = "overdue" // today is past the planned interval's end
	MilestonePlanned = "planned"
)

// Milestone is a dated step of a relocation, with the source of the fact. A field
// clients write has its API name (`json`) and its rules (`input`) on its tags, read by
// the input of the API and forms (ui).
type Milestone struct {
	ID           int64     `db:"id"`
	RelocationID int64     `db:"relocation_id"`
	Kind         string    `db:"kind" json:"kind" input:"required,milestone_kind"`
	Title        string    `db:"title" json:"title" input:"required,notblank,max=200"`
	Planned      FuzzyDate `db:"planned" json:"planned" input:"required,fuzzydate"`
	Baseline     FuzzyDate `db:"baseline"`                                     // the first planned value
	Actual       Date      `db:"actual" json:"actual" input:"omitnil,isodate"` // zero until done
	Source       string    `db:"source" json:"source" input:"required,notblank,max=1000"`
	SourceURL    *string   `db:"source_url" json:"source_url" input:"omitnil,max=2000,httpurl"`
	Notes        string    `db:"notes" json:"notes" input:"omitnil,max=5000"`
	Public       bool      `db:"public" json:"public" input:""`
	Version      int       `db:"version"`
	CreatedAt    time.Time `db:"created_at"`
	UpdatedAt    time.Time `db:"updated_at"`

	// History lists every change of Planned, oldest first (filled by the store's reads).
	History []PlannedChange `db:"-"`
}

// PlannedChange is one change of a milestone's planned date.
type PlannedChange struct {
	From   FuzzyDate `json:"from" db:"from_value"`
	To     FuzzyDate `json:"to" db:"to_value"`
	At     time.Time `json:"at" db:"at"`
	By     string    `json:"by" db:"by"`
	Reason string    `json:"reason" db:"reason"`

	MilestoneID int64 `json:"-" db:"milestone_id"`
}

// SlipDays returns how many days the planned end moved since the baseline (negative
// when the milestone moved earlier).
func (m Milestone) SlipDays() int { return SlipDays(m.Baseline, m.Planned) }

// Status returns done, overdue or planned as of today (a date in Europe/Paris).
func (m Milestone) Status(today Date) string {
	switch {
	case !m.Actual.IsZero():
		return MilestoneDone
	case Overdue(m.Planned, today):
		return MilestoneOverdue
	default:
		return MilestonePlanned
	}
}

// Overdue reports whether a step planned for planned and not done is late today: today
// is past the planned interval's end. The one rule of « en retard ».
func Overdue(planned FuzzyDate, today Date) bool { return today.After(planned.End()) }

// Fields returns the editable fields by API name, as the journal records them.
func (m Milestone) Fields() Fields {
	return Fields{
		"kind":       m.Kind,
		"title":      m.Title,
		"planned":    m.Planned.String(),
		"actual":     nilIfEmpty(m.Actual.String()),
		"source":     m.Source,
		"source_url": deref(m.SourceURL),
		"notes":      m.Notes,
		"public":     m.Public,
	}
}

// NextMilestone returns the first milestone not done in planned order, if any.
// ms must be in planned order, as the store returns them.
func NextMilestone(ms []Milestone) (Milestone, bool) {
	for _, m := range ms {
		if m.Actual.IsZero() {
			return m, true
		}
	}
	return Milestone{}, false
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
