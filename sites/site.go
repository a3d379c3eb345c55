// Package sites holds what a relocation compares on the ground: its candidate sites,
// its partners (the bodies it works with, for proximity), the agents' roster and the
// commute figures computed from it, each with its store.
package sites

import (
	"slices"
	"time"

	"github.com/ministere/tracker/relocation"
)

// kinds of site; the CHECK on sites.kind allows the same (TestAllowedValuesMatchDatabase,
// in ui, compares them).
var kinds = []string{"colocation", "lease", "state_owned"}

// statuses of a site; the CHECK on sites.status allows the same
// (TestAllowedValuesMatchDatabase, in ui, compares them).
var statuses = []string{StatusCandidate, StatusShortlisted, StatusRejected, StatusSelected}

// Kinds returns the kinds of site: colocation in a partner body's premises, lease,
// state-owned (a copy: the caller may change it).
func Kinds() []string { return slices.Clone(kinds) }

// IsKind reports whether s is a kind of site.
func IsKind(s string) bool { return slices.Contains(kinds, s) }

// Statuses returns the statuses of a site, candidate first (a copy); a relocation has at
// most one selected site.
func Statuses() []string { return slices.Clone(statuses) }

// IsStatus reports whether s is a status of a site.
func IsStatus(s string) bool { return slices.Contains(statuses, s) }

// Site statuses; rejected and selected are decisions and need a reason.
const (
	StatusCandidate   = "candidate"
	StatusShortlisted = "shortlisted"
	StatusRejected    = "rejected"
	StatusSelected    = "selected"
)

// EntitySite is the journal's name for a site.
const EntitySite = "site"

// Site is a candidate site of one relocation, e.g. bas Montreuil (lease) or a partner
// body's premises (colocation). A field clients write has its API name (`json`), its
// rules (`input`) and its units (`unit`) on its tags, read by the input of the API and
// forms (ui).
type Site struct {
	ID             int64                `db:"id"`
	RelocationID   int64                `db:"relocation_id"`
	Name           string               `db:"name" json:"name" input:"required,notblank,max=200"`
	Address        string               `db:"address" json:"address" input:"omitnil,max=300"`
	Commune        string               `db:"commune" json:"commune" input:"omitnil,max=200"`
	Department     string               `db:"department" json:"department" input:"omitnil,max=100"`
	Lat            *float64             `db:"lat" json:"lat" input:"" coordinate:"lat"`
	Lon            *float64             `db:"lon" json:"lon" input:"" coordinate:"lon"`
	Kind           string               `db:"kind" json:"kind" input:"required,site_kind"`
	SurfaceM2      *float64             `db:"surface_m2" json:"surface_m2" input:"omitnil,gte=1,lte=10000000" unit:"m² m2"` // m² SUB
	AnnualCostEUR  *float64             `db:"annual_cost_eur" json:"annual_cost_eur" input:"omitnil,gte=0,lte=10000000000" unit:"€ EUR euros"`
	AvailableFrom  relocation.FuzzyDate `db:"available_from" json:"available_from" input:"omitnil,fuzzydate"` // zero when unknown
	Status         string               `db:"status" json:"status" input:"omitnil,site_status"`
	DecisionReason string               `db:"decision_reason" json:"decision_reason" input:"omitnil,max=2000"`
	Decided        relocation.FuzzyDate `db:"decided" json:"decided" input:"omitnil,fuzzydate"` // when the decision was taken, as the sources date it; zero when unknown
	Version        int                  `db:"version"`
	CreatedAt      time.Time            `db:"created_at"`
	UpdatedAt      time.Time            `db:"updated_at"`
}

// NewSite returns a site holding the default of its optional field: a candidate.
func NewSite() Site { return Site{Status: StatusCandidate} }

// RowID returns the site's id (relocation.Row).
func (s Site) RowID() int64 { return s.ID }

// RowVersion returns the site's version (relocation.Row).
func (s Site) RowVersion() int { return s.Version }

// NeedsReason reports whether the status needs a decision reason (rejected, selected).
func NeedsReason(status string) bool { return status == StatusRejected || status == StatusSelected }

// Fields returns the editable fields by API name, as the journal records them.
func (s Site) Fields() relocation.Fields {
	return relocation.Fields{
		"name": s.Name, "address": s.Address, "commune": s.Commune, "department": s.Department,
		"lat": deref(s.Lat), "lon": deref(s.Lon), "kind": s.Kind, "surface_m2": deref(s.SurfaceM2),
		"annual_cost_eur": deref(s.AnnualCostEUR), "available_from": nilIfEmpty(s.AvailableFrom.String()),
		"status": s.Status, "decision_reason": s.DecisionReason, "decided": nilIfEmpty(s.Decided.String()),
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
