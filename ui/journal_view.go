package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// The journal as a reader wants it: what changed named by its name (« Site « Bas
// Montreuil » », not « Site n° 2 »), ids in the changes replaced by names (the chosen
// site, the criterion of a score), people by their name rather than their e-mail.

// names are what the journal's ids and e-mails stand for, read with the page.
type names struct {
	sites, criteria, milestones map[int64]string
	people                      map[string]string // e-mail → name
}

// journalRow is one journal entry drawn for reading.
type journalRow struct {
	At      time.Time
	By      string
	Subject string // what changed: « Site « Bas Montreuil » »
	Action  string // « création »
	Update  bool   // a modification (its changes are shown open)
	Changes []changeRow
}

// changeRow is one field's change in words.
type changeRow struct{ Label, Before, After string }

// readNames reads the names the journal entries need, over the page's snapshot:
// the relocation's sites, criteria and milestones, and the accounts that made them
// (two statements at most besides what the page reads anyway).
func readNames(ctx context.Context, rd reader, relocationID int64, ss []sites.Site, ms []relocation.Milestone, entries ...[]relocation.Entry) (names, error) {
	n := names{sites: map[int64]string{}, criteria: map[int64]string{}, milestones: map[int64]string{}}
	for _, st := range ss {
		n.sites[st.ID] = st.Name
	}
	for _, m := range ms {
		n.milestones[m.ID] = m.Title
	}
	cs, err := rd.criteria.Criteria(ctx, relocationID)
	if err != nil {
		return n, err
	}
	for _, c := range cs {
		n.criteria[c.ID] = c.Name
	}
	var emails []string // the authors, and the managers a change of managers names
	for _, es := range entries {
		for _, e := range es {
			emails = append(emails, e.By)
			if ch, ok := e.Changes["managers"]; ok {
				for _, v := range []any{ch.Before, ch.After} {
					if list, ok := v.(string); ok && list != "" {
						emails = append(emails, strings.Split(list, ", ")...)
					}
				}
			}
		}
	}
	n.people, err = peopleNames(ctx, rd.q, emails)
	return n, err
}

// peopleNames returns the names of the accounts with these e-mails (one statement).
func peopleNames(ctx context.Context, q sqlx.QueryerContext, emails []string) (map[string]string, error) {
	out := map[string]string{}
	if len(emails) == 0 {
		return out, nil
	}
	var rows []struct{ Email, Name string }
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT email, name FROM users WHERE email = ANY($1)`, pq.Array(emails)); err != nil {
		return nil, relocation.DBError("journal: people", err, "")
	}
	for _, r := range rows {
		out[r.Email] = r.Name
	}
	return out, nil
}

// relocationPeople returns the names of the accounts that changed relocation
// relocationID, by e-mail (one statement).
func relocationPeople(ctx context.Context, q sqlx.QueryerContext, relocationID int64) (names, error) {
	var rows []struct{ Email, Name string }
	err := sqlx.SelectContext(ctx, q, &rows, `SELECT email, name FROM users
		WHERE email IN (SELECT DISTINCT by FROM journal WHERE relocation_id = $1)`, relocationID)
	if err != nil {
		return names{}, relocation.DBError("journal: people", err, "")
	}
	n := names{people: map[string]string{}}
	for _, r := range rows {
		n.people[r.Email] = r.Name
	}
	return n, nil
}

// person names who made a change: the account's name, else what the journal says
// (« démo », « ligne de commande », or the e-mail of an account since deleted).
func (n names) person(by string) string { return or(n.people[by], by) }

// rows writes journal entries for reading.
func (n names) rows(entries []relocation.Entry) []journalRow {
	out := make([]journalRow, 0, len(entries))
	for _, e := range entries {
		row := journalRow{At: e.At, By: n.person(e.By), Subject: n.subject(e), Action: or(actionLabels[e.Action], e.Action),
			Update: e.Action == relocation.ActionUpdate}
		fields := make([]string, 0, len(e.Changes))
		for f := range e.Changes {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			if e.Entity == criteria.EntityScore && f == "criterion_id" {
				continue // named in the subject
			}
			ch := e.Changes[f]
			row.Changes = append(row.Changes, changeRow{Label: fieldLabel(f), Before: n.value(e.Entity, f, ch.Before), After: n.value(e.Entity, f, ch.After)})
		}
		out = append(out, row)
	}
	return out
}

// subject names what an entry changed.
func (n names) subject(e relocation.Entry) string {
	quoted := func(kind, name string) string {
		if name == "" {
			return fmt.Sprintf("%s n° %d", kind, e.EntityID)
		}
		return kind + " « " + name + " »"
	}
	switch e.Entity {
	case sites.EntitySite:
		return quoted("Site", or(n.sites[e.EntityID], entryName(e, "name")))
	case relocation.EntityMilestone:
		return quoted("Jalon", or(n.milestones[e.EntityID], entryName(e, "title")))
	case criteria.EntityCriterion:
		return quoted("Critère", or(n.criteria[e.EntityID], entryName(e, "name")))
	case sites.EntityPartner:
		return quoted("Organisme partenaire", entryName(e, "name"))
	case criteria.EntityScore:
		out := quoted("Note du site", n.sites[e.EntityID])
		if id, ok := e.Changes["criterion_id"].After.(float64); ok {
			out += " sur " + or(quote(n.criteria[int64(id)]), fmt.Sprintf("le critère n° %d", int64(id)))
		}
		return out
	}
	return or(entityLabels[e.Entity], e.Entity)
}

// entryName is the name an entry itself records (a deleted milestone's title, say).
func entryName(e relocation.Entry, field string) string {
	ch := e.Changes[field]
	for _, v := range []any{ch.After, ch.Before} {
		if s, ok := v.(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// quote writes « name », or "" for no name.
func quote(name string) string {
	if name == "" {
		return ""
	}
	return "« " + name + " »"
}

// value writes a value of the journal for reading, ids and e-mails by their names.
func (n names) value(entity, field string, v any) string {
	switch field {
	case "comparisons":
		comps, ok := criteria.ReadComparisons(v)
		if !ok {
			break
		}
		cs := make([]criteria.Criterion, 0, len(n.criteria))
		for id, name := range n.criteria {
			cs = append(cs, criteria.Criterion{ID: id, Name: name})
		}
		return strings.Join(comparisonSentences(comps, cs), " ")
	case "chosen_site_id", "criterion_id":
		id, ok := v.(float64)
		if !ok {
			break
		}
		m := n.sites
		if field == "criterion_id" {
			m = n.criteria
		}
		return or(m[int64(id)], fmt.Sprintf("n° %d", int64(id)))
	case "managers":
		s, ok := v.(string)
		if !ok || s == "" {
			break
		}
		parts := strings.Split(s, ", ")
		for i, p := range parts {
			parts[i] = n.person(p)
		}
		return strings.Join(parts, ", ")
	}
	return changeValue(entity, field, v)
}
