package relocation

import "testing"

// TestMilestoneEvent: what the news feed tells of a milestone's change, by hand: only
// what was public before or after, nothing for a change of its notes (internal) alone,
// the move's re-plan left to the target move's event.
func TestMilestoneEvent(t *testing.T) {
	date := func(s string) FuzzyDate {
		d, err := ParseFuzzyDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	url := "https://www.legifrance.gouv.fr/"
	done, err := ParseDate("2020-02-10")
	if err != nil {
		t.Fatal(err)
	}
	base := Milestone{ID: 7, Kind: "other", Title: "Lettre d’intention", Planned: date("2020-Q1"),
		Baseline: date("2020-Q1"), Source: "CITP", SourceURL: &url, Notes: "interne", Public: true, Version: 3}
	with := func(edit func(m *Milestone)) *Milestone {
		m := base
		edit(&m)
		return &m
	}
	cases := []struct {
		name          string
		before, after *Milestone
		kind          string // "" for no event
	}{
		{"notes alone", &base, with(func(m *Milestone) { m.Notes = "autre note interne"; m.Version++ }), ""},
		{"nothing but the version", &base, with(func(m *Milestone) { m.Version++ }), ""},
		{"a source address alone, same text", &base, with(func(m *Milestone) { u := url; m.SourceURL = &u }), ""},
		{"title", &base, with(func(m *Milestone) { m.Title = "Lettre d’intention signée" }), EventMilestoneChanged},
		{"source", &base, with(func(m *Milestone) { m.Source = "Arrêté" }), EventMilestoneChanged},
		{"source address dropped", &base, with(func(m *Milestone) { m.SourceURL = nil }), EventMilestoneChanged},
		{"re-planned", &base, with(func(m *Milestone) { m.Planned = date("2020-Q2") }), EventMilestoneReplanned},
		{"done", &base, with(func(m *Milestone) { m.Actual = done }), EventMilestoneDone},
		{"made public", with(func(m *Milestone) { m.Public = false }), &base, EventMilestoneAdded},
		{"made internal", &base, with(func(m *Milestone) { m.Public = false }), EventMilestoneRemoved},
		{"internal, changed", with(func(m *Milestone) { m.Public = false }), with(func(m *Milestone) { m.Public = false; m.Title = "X" }), ""},
		{"created public", nil, &base, EventMilestoneAdded},
		{"deleted while public", &base, nil, EventMilestoneRemoved},
		{"move re-planned", with(func(m *Milestone) { m.Kind = KindMove }), with(func(m *Milestone) { m.Kind = KindMove; m.Planned = date("2021") }), ""},
	}
	for _, c := range cases {
		e, ok := milestoneEvent(c.before, c.after)
		if got := map[bool]string{true: e.Kind}[ok]; got != c.kind {
			t.Errorf("%s: event %q, want %q", c.name, got, c.kind)
		}
	}
}
