package relocation

import (
	"context"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
)

// What agents see: a public relocation (visibility public), its public milestones, and
// the public events of its news feed. Actions write the events and touch the public
// change time in the transaction of the change they follow (Tx.PublicEvent,
// Tx.TouchPublic); public pages only read.
//
// Public means public when it happened (SPEC): an event is recorded only when the
// relocation was public before the action and still is after it, and, for a milestone,
// when the milestone was or became public; milestone notes are never in an event.

// Kinds of public event.
const (
	EventMilestoneAdded     = "milestone_added"     // a public milestone appeared
	EventMilestoneReplanned = "milestone_replanned" // its planned date changed (From → To)
	EventMilestoneDone      = "milestone_done"      // it happened (To: the actual date)
	EventMilestoneChanged   = "milestone_changed"   // another of its public facts changed
	EventMilestoneRemoved   = "milestone_removed"   // it was deleted or made internal
	EventTargetMove         = "target_move"         // the target move date changed (From → To, Reason)
	EventSiteChosen         = "site_chosen"         // a site was chosen (Title: its name, To: its commune)
)

var eventKinds = []string{EventMilestoneAdded, EventMilestoneReplanned, EventMilestoneDone,
	EventMilestoneChanged, EventMilestoneRemoved, EventTargetMove, EventSiteChosen}

// EventKinds returns the kinds of public event (a copy); the CHECK on public_events.kind
// allows the same.
func EventKinds() []string { return slices.Clone(eventKinds) }

// PublicEvent is one entry of a relocation's news feed.
type PublicEvent struct {
	ID          int64     `db:"id"`
	At          time.Time `db:"at"`
	MilestoneID *int64    `db:"milestone_id"`
	Kind        string    `db:"kind"`
	Title       string    `db:"title"`
	From        *string   `db:"from_value"`
	To          *string   `db:"to_value"`
	Reason      string    `db:"reason"` // why a date changed, when the change said
}

// PublicView is a public relocation as its page shows it: the relocation, the chosen
// site's name and address (empty until one is selected) and when the page last changed.
type PublicView struct {
	Relocation
	ChosenName      string    `db:"chosen_name"`
	ChosenAddress   string    `db:"chosen_address"`
	ChosenCommune   string    `db:"chosen_commune"`
	PublicChangedAt time.Time `db:"public_changed_at"`
}

// ErrNoPublicPage is the ENOTFOUND of a relocation the visitor may not see: the same as
// for an unknown slug, so that an internal relocation cannot be told from none.
var ErrNoPublicPage = Errorf(ENOTFOUND, "%s", relocationNotFound)

// PublicRelocation reads relocation slug with its chosen site, in one query; ENOTFOUND
// for an unknown slug. The caller decides who may see an internal one.
func (s *Store) PublicRelocation(ctx context.Context, slug string) (PublicView, error) {
	var v PublicView
	err := sqlx.GetContext(ctx, s.q, &v, `SELECT `+Qualified("r", relocationColumns)+`, r.public_changed_at,
		coalesce(st.name, '') AS chosen_name, coalesce(st.address, '') AS chosen_address, coalesce(st.commune, '') AS chosen_commune
		FROM relocations r LEFT JOIN sites st ON st.id = r.chosen_site_id WHERE r.slug = $1`, slug)
	return v, DBError("relocation: public", err, relocationNotFound)
}

// PublicMilestones returns a relocation's public milestones in planned order, without
// history (the baseline is on each) and without their notes, which are internal: no
// public page, calendar or feed can show them.
func (s *Store) PublicMilestones(ctx context.Context, relocationID int64) ([]Milestone, error) {
	ms := []Milestone{}
	err := sqlx.SelectContext(ctx, s.q, &ms, `SELECT `+milestoneColumns+` FROM milestones
		WHERE relocation_id = $1 AND public`+milestoneOrder, relocationID)
	for i := range ms {
		ms[i].Notes = ""
	}
	return ms, DBError("milestone: public list", err, "")
}

// PublicRelocations returns the public relocations with when their page last changed,
// soonest target move first (then by name).
func (s *Store) PublicRelocations(ctx context.Context) ([]PublicView, error) {
	out := []PublicView{}
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT `+Qualified("r", relocationColumns)+`, r.public_changed_at,
		coalesce(st.name, '') AS chosen_name, coalesce(st.address, '') AS chosen_address, coalesce(st.commune, '') AS chosen_commune
		FROM relocations r LEFT JOIN sites st ON st.id = r.chosen_site_id WHERE r.visibility = $1`, VisibilityPublic)
	if err != nil {
		return nil, DBError("relocation: public list", err, "")
	}
	slices.SortStableFunc(out, func(a, b PublicView) int {
		if c := a.TargetMove.Start().compare(b.TargetMove.Start()); c != 0 {
			return c
		}
		return compareStrings(a.Name, b.Name)
	})
	return out, nil
}

// PublicEvents returns a relocation's latest public events, newest first.
func (s *Store) PublicEvents(ctx context.Context, relocationID int64, limit int) ([]PublicEvent, error) {
	out := []PublicEvent{}
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT id, at, milestone_id, kind, title, from_value, to_value, reason
		FROM public_events WHERE relocation_id = $1 ORDER BY id DESC LIMIT $2`, relocationID, limit)
	return out, DBError("relocation: public events", err, "")
}

// TouchPublic records, inside an action, that the relocation's public page changed
// (its public change time is set when the action ends, with its revision).
//
// The public change time is the stamp public answers are kept and tagged under: it must
// rise with every change, and never go back. now() is the time the transaction began, so
// an action that began before another committed could set an earlier one: it is the
// clock's time, or just past the last stamp, whichever is later (as migration 023's
// trigger does for changes made outside the program).
func (tx *Tx) TouchPublic(ctx context.Context) error {
	tx.wrote, tx.touched = true, true
	return nil
}

// raisePublicStamp is the SQL of a relocation's next public change time (see TouchPublic).
const raisePublicStamp = `greatest(clock_timestamp(), public_changed_at + interval '1 microsecond')`

// PublicEvent adds an entry to the relocation's news feed, when the relocation was public
// before the action and still is, and touches its public page, inside an action (the
// event is written when the action ends, with its revision).
func (tx *Tx) PublicEvent(ctx context.Context, e PublicEvent) error {
	if tx.wasPublic && tx.Relocation.Visibility == VisibilityPublic {
		tx.events = append(tx.events, e)
	}
	return tx.TouchPublic(ctx)
}

// milestoneEvent is the public event of a milestone's change from before to after
// (nil: created or deleted), or false when the public sees no change.
func milestoneEvent(before, after *Milestone) (PublicEvent, bool) {
	wasPublic, isPublic := before != nil && before.Public, after != nil && after.Public
	switch {
	case !wasPublic && !isPublic:
		return PublicEvent{}, false
	case !wasPublic:
		return PublicEvent{MilestoneID: &after.ID, Kind: EventMilestoneAdded, Title: after.Title, To: ptr(after.Planned.String())}, true
	case !isPublic:
		return PublicEvent{MilestoneID: &before.ID, Kind: EventMilestoneRemoved, Title: before.Title, From: ptr(before.Planned.String())}, true
	case before.Planned != after.Planned && after.Kind == KindMove:
		return PublicEvent{}, false // the target move's event tells it (followMove)
	case before.Planned != after.Planned:
		return PublicEvent{MilestoneID: &after.ID, Kind: EventMilestoneReplanned, Title: after.Title,
			From: ptr(before.Planned.String()), To: ptr(after.Planned.String())}, true
	case before.Actual.IsZero() && !after.Actual.IsZero():
		return PublicEvent{MilestoneID: &after.ID, Kind: EventMilestoneDone, Title: after.Title, To: ptr(after.Actual.String())}, true
	case publicFace(*before) == publicFace(*after):
		return PublicEvent{}, false // its notes, internal, or nothing the public sees
	}
	return PublicEvent{MilestoneID: &after.ID, Kind: EventMilestoneChanged, Title: after.Title}, true
}

// milestoneFace is what the public sees of a milestone: everything but its notes and its
// bookkeeping (version, times).
type milestoneFace struct {
	kind, title, source, sourceURL string
	planned, baseline              FuzzyDate
	actual                         Date
}

// publicFace returns what the public sees of m.
func publicFace(m Milestone) milestoneFace {
	f := milestoneFace{kind: m.Kind, title: m.Title, source: m.Source, planned: m.Planned, baseline: m.Baseline, actual: m.Actual}
	if m.SourceURL != nil {
		f.sourceURL = *m.SourceURL
	}
	return f
}

// publicMilestoneEvent records what the public sees of a milestone's change, if anything;
// a re-plan's event carries its reason.
func (tx *Tx) publicMilestoneEvent(ctx context.Context, before, after *Milestone, reason string) error {
	if e, ok := milestoneEvent(before, after); ok {
		if e.Kind == EventMilestoneReplanned {
			e.Reason = reason
		}
		return tx.PublicEvent(ctx, e)
	}
	if before != nil && after != nil && before.Public && after.Public {
		// Nothing to tell, but the public calendar's entry carries the milestone's version
		// and time of change (SEQUENCE, DTSTAMP): its answers must be drawn anew.
		return tx.TouchPublic(ctx)
	}
	return nil
}

// publicRelocationEvent records a change of the target move in the news feed; any other
// change of the relocation touches its public page.
func (tx *Tx) publicRelocationEvent(ctx context.Context, before, after Relocation) error {
	if before.TargetMove != after.TargetMove {
		return tx.targetMoveEvent(ctx, before.TargetMove, after.TargetMove, "")
	}
	return tx.TouchPublic(ctx)
}

// targetMoveEvent records a change of the target move date in the news feed.
func (tx *Tx) targetMoveEvent(ctx context.Context, from, to FuzzyDate, reason string) error {
	return tx.PublicEvent(ctx, PublicEvent{Kind: EventTargetMove, Title: "Déménagement",
		From: ptr(from.String()), To: ptr(to.String()), Reason: reason})
}

// SiteChosen records in the news feed, inside an action, that the relocation chose a
// site (name, commune).
func (tx *Tx) SiteChosen(ctx context.Context, name, commune string) error {
	return tx.PublicEvent(ctx, PublicEvent{Kind: EventSiteChosen, Title: name, To: ptr(commune)})
}

func ptr[T any](v T) *T { return &v }

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// PublicStamp is what a public answer of a relocation depends on, read in one small query
// before anything else: whether it is public, and when its public facts last changed.
type PublicStamp struct {
	ID              int64     `db:"id"`
	Visibility      string    `db:"visibility"`
	PublicChangedAt time.Time `db:"public_changed_at"`
}

// IsPublic reports whether the relocation's page is published.
func (st PublicStamp) IsPublic() bool { return st.Visibility == VisibilityPublic }

// PublicStampOf reads the stamp of relocation slug; ENOTFOUND for an unknown slug.
func (s *Store) PublicStampOf(ctx context.Context, slug string) (PublicStamp, error) {
	var st PublicStamp
	err := sqlx.GetContext(ctx, s.q, &st, `SELECT id, visibility, public_changed_at FROM relocations WHERE slug = $1`, slug)
	return st, DBError("relocation: public stamp", err, relocationNotFound)
}
