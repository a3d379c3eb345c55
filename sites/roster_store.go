package sites

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/ministere/tracker/relocation"
)

// EntityRoster is the journal's name for a relocation's agent roster.
const EntityRoster = "roster"

// ImportRoster replaces relocation relocationID's roster, all or nothing, by the agents
// input returns (given the relocation's sites and the reach of its homes, read under
// lock), and
// recomputes every site's commute figures in the same transaction. The journal records
// counts, never rows. It returns how many agents were imported. Errors: see
// relocation.Act; input's (a refused file).
func (s *Store) ImportRoster(ctx context.Context, by relocation.Actor, relocationID int64, input func(sites RosterSites, reach Reach) ([]Agent, error)) (int, error) {
	var n int
	err := relocation.Act(ctx, s.db, by, relocationID, func(tx *relocation.Tx) error {
		var named []struct {
			ID   int64  `db:"id"`
			Name string `db:"name"`
		}
		if err := tx.Select(ctx, &named, `SELECT id, name FROM sites WHERE relocation_id = $1`, relocationID); err != nil {
			return relocation.DBError("roster: sites", err, "")
		}
		sites := make(RosterSites, len(named))
		for _, site := range named {
			sites[site.ID] = site.Name
		}
		agents, err := input(sites, ReachOf(tx.Relocation))
		if err != nil {
			return err
		}
		before, err := rosterSizeIn(ctx, tx, relocationID)
		if err != nil {
			return err
		}
		if err := replaceRoster(ctx, tx, relocationID, agents); err != nil {
			return err
		}
		n = len(agents)
		if err := refreshCommutes(ctx, tx, agents); err != nil { // the agents as imported: not read back
			return err
		}
		return tx.Journal(ctx, EntityRoster, relocationID, relocation.ActionImport, rosterChanges(before, agents))
	})
	return n, err
}

// DeleteRoster erases relocation relocationID's roster, in one journaled action, and
// recomputes the commute figures (withheld from then on). Deleting an empty roster
// changes nothing. Errors: see relocation.Act.
func (s *Store) DeleteRoster(ctx context.Context, by relocation.Actor, relocationID int64) error {
	return relocation.Act(ctx, s.db, by, relocationID, func(tx *relocation.Tx) error {
		before, err := rosterSizeIn(ctx, tx, relocationID)
		if err != nil || before == 0 {
			return err
		}
		if err := tx.Write(ctx, `DELETE FROM agents WHERE relocation_id = $1`, relocationID); err != nil {
			return relocation.DBError("roster: delete", err, "")
		}
		if err := RefreshCommutes(ctx, tx); err != nil {
			return err
		}
		return tx.Journal(ctx, EntityRoster, relocationID, relocation.ActionDelete,
			map[string]relocation.Change{"agents": {Before: before, After: 0}})
	})
}

// rosterChanges is what the journal says of an import: counts only.
func rosterChanges(before int, agents []Agent) map[string]relocation.Change {
	located, measured := 0, 0
	for _, a := range agents {
		if a.HomeLat != nil {
			located++
		}
		if len(a.SiteMinutes) > 0 {
			measured++
		}
	}
	return map[string]relocation.Change{
		"agents":               {Before: before, After: len(agents)},
		"agents_located":       {After: located},
		"agents_with_measures": {After: measured},
	}
}

// replaceRoster deletes the roster and inserts agents in one statement.
func replaceRoster(ctx context.Context, tx *relocation.Tx, relocationID int64, agents []Agent) error {
	if err := tx.Write(ctx, `DELETE FROM agents WHERE relocation_id = $1`, relocationID); err != nil {
		return relocation.DBError("roster: clear", err, "")
	}
	refs := make([]string, len(agents))
	communes := make([]string, len(agents))
	lats := make([]sql.NullFloat64, len(agents))
	lons := make([]sql.NullFloat64, len(agents))
	currents := make([]sql.NullFloat64, len(agents))
	measures := make([]string, len(agents))
	for i, a := range agents {
		refs[i], communes[i] = a.Ref, a.HomeCommune
		lats[i], lons[i], currents[i] = nullable(a.HomeLat), nullable(a.HomeLon), nullable(a.CurrentMinutes)
		byKey := make(map[string]float64, len(a.SiteMinutes))
		for id, m := range a.SiteMinutes {
			byKey[strconv.FormatInt(id, 10)] = m
		}
		raw, err := json.Marshal(byKey)
		if err != nil {
			return fmt.Errorf("roster: encode minutes: %w", err)
		}
		measures[i] = string(raw)
	}
	err := tx.Write(ctx, `INSERT INTO agents (relocation_id, agent_ref, home_commune, home_lat, home_lon,
		current_minutes, site_minutes)
		SELECT $1, ref, commune, lat, lon, cur, sm::jsonb
		FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::text[]) AS t(ref, commune, lat, lon, cur, sm)`,
		relocationID, pq.Array(refs), pq.Array(communes), pq.Array(lats), pq.Array(lons), pq.Array(currents), pq.Array(measures))
	return relocation.DBError("roster: insert", err, "")
}

func nullable(p *float64) sql.NullFloat64 {
	if p == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *p, Valid: true}
}

// RelocationUpdated recomputes the commute figures when a change of a relocation touches
// what they rest on (its origin's coordinates, the estimator's settings, the limit): the
// Updated hook of criteria.NewRelocationStore.
func RelocationUpdated(ctx context.Context, tx *relocation.Tx, before relocation.Relocation) error {
	if settingsOf(before) == settingsOf(tx.Relocation) {
		return nil
	}
	return RefreshCommutes(ctx, tx)
}

// settingsKey is what the commute figures of a relocation depend on, comparable.
type settingsKey struct {
	lat, lon                             any
	access, detour, speed, increaseLimit float64
}

func settingsOf(r relocation.Relocation) settingsKey {
	return settingsKey{deref(r.OriginLat), deref(r.OriginLon), r.CommuteAccessMin, r.CommuteDetour,
		r.CommuteSpeedKmh, r.CommuteIncreaseLimitMin}
}

// CommuteSettingsOf returns relocation r's settings of the estimator and the figures.
func CommuteSettingsOf(r relocation.Relocation) CommuteSettings {
	return CommuteSettings{OriginLat: r.OriginLat, OriginLon: r.OriginLon, AccessMin: r.CommuteAccessMin,
		Detour: r.CommuteDetour, SpeedKmh: r.CommuteSpeedKmh, IncreaseLimitMin: r.CommuteIncreaseLimitMin}
}

// RefreshCommutes recomputes and stores, inside an action, the commute figures of the
// action's relocation's sites (only those of only, when given) from its roster and
// settings: figures are computed once per change, never per view.
func RefreshCommutes(ctx context.Context, tx *relocation.Tx, only ...int64) error {
	return refreshCommutes(ctx, tx, nil, only...)
}

// refreshCommutes is RefreshCommutes over agents, the relocation's roster, or, when nil,
// the roster read from the database.
func refreshCommutes(ctx context.Context, tx *relocation.Tx, agents []Agent, only ...int64) error {
	r := tx.Relocation
	var ss []Site
	q := `SELECT ` + siteColumns + ` FROM sites WHERE relocation_id = $1 ORDER BY id`
	args := []any{r.ID}
	if len(only) > 0 {
		q = `SELECT ` + siteColumns + ` FROM sites WHERE relocation_id = $1 AND id = ANY($2) ORDER BY id`
		args = append(args, pq.Array(only))
	}
	if err := tx.Select(ctx, &ss, q, args...); err != nil {
		return relocation.DBError("commute: sites", err, "")
	}
	if len(ss) == 0 {
		return nil
	}
	if agents == nil {
		var err error
		if agents, err = readAgents(ctx, tx, r.ID); err != nil {
			return err
		}
	}
	settings := CommuteSettingsOf(r)
	n := len(ss)
	ids, counts, estimated, estimatedCurrent := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	mean, median, p90, meanDelta := make([]sql.NullFloat64, n), make([]sql.NullFloat64, n), make([]sql.NullFloat64, n), make([]sql.NullFloat64, n)
	overLimit, shorter := make([]sql.NullFloat64, n), make([]sql.NullFloat64, n)
	withheld, changes := make([]sql.NullString, n), make([]string, n)
	for i, site := range ss {
		f := ComputeFigures(agents, site.ID, site.Lat, site.Lon, settings)
		ids[i], counts[i], estimated[i], estimatedCurrent[i] = site.ID, int64(f.Agents), int64(f.Estimated), int64(f.EstimatedCurrent)
		mean[i], median[i], p90[i], meanDelta[i] = nullFloat(f.Mean), nullFloat(f.Median), nullFloat(f.P90), nullFloat(f.MeanDelta)
		overLimit[i], shorter[i] = nullFloat(f.ShareOverLimit), nullFloat(f.ShareShorter)
		if f.Withheld != nil {
			withheld[i] = sql.NullString{String: *f.Withheld, Valid: true}
		}
		changes[i] = arrayLiteral(f.Changes[:]) // unnest flattens a two-dimensional array: one literal per site
	}
	err := tx.Write(ctx, `INSERT INTO commute_figures (site_id, relocation_id, agents, estimated,
		estimated_current, mean, median, p90, mean_delta, share_over_limit, share_shorter, withheld, changes, computed_at)
		SELECT s, $1, a, e, ec, mn, md, p9, dl, ol, sh, wh, ch::integer[], now()
		FROM unnest($2::bigint[], $3::int[], $4::int[], $5::int[], $6::float8[], $7::float8[], $8::float8[],
			$9::float8[], $10::float8[], $11::float8[], $12::text[], $13::text[])
			AS t(s, a, e, ec, mn, md, p9, dl, ol, sh, wh, ch)
		ON CONFLICT (site_id) DO UPDATE SET agents = EXCLUDED.agents, estimated = EXCLUDED.estimated,
			estimated_current = EXCLUDED.estimated_current, mean = EXCLUDED.mean, median = EXCLUDED.median,
			p90 = EXCLUDED.p90, mean_delta = EXCLUDED.mean_delta, share_over_limit = EXCLUDED.share_over_limit,
			share_shorter = EXCLUDED.share_shorter, withheld = EXCLUDED.withheld, changes = EXCLUDED.changes,
			computed_at = now()`,
		r.ID, pq.Array(ids), pq.Array(counts), pq.Array(estimated), pq.Array(estimatedCurrent), pq.Array(mean),
		pq.Array(median), pq.Array(p90), pq.Array(meanDelta), pq.Array(overLimit), pq.Array(shorter),
		pq.Array(withheld), pq.Array(changes))
	return relocation.DBError("commute: store figures", err, "")
}

// nullFloat is *p as a nullable float.
func nullFloat(p *float64) sql.NullFloat64 {
	if p == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *p, Valid: true}
}

// arrayLiteral writes ns as a PostgreSQL array literal: {1,2,3}.
func arrayLiteral(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// readAgents reads a relocation's roster inside an action.
func readAgents(ctx context.Context, tx *relocation.Tx, relocationID int64) ([]Agent, error) {
	rows, err := tx.Query(ctx, `SELECT agent_ref, home_commune, home_lat, home_lon, current_minutes, site_minutes
		FROM agents WHERE relocation_id = $1 ORDER BY agent_ref`, relocationID)
	if err != nil {
		return nil, relocation.DBError("roster: read", err, "")
	}
	defer rows.Close()
	var out []Agent
	for rows.Next() {
		var a Agent
		var raw []byte
		if err := rows.Scan(&a.Ref, &a.HomeCommune, &a.HomeLat, &a.HomeLon, &a.CurrentMinutes, &raw); err != nil {
			return nil, relocation.DBError("roster: scan", err, "")
		}
		var byKey map[string]float64
		if err := json.Unmarshal(raw, &byKey); err != nil {
			return nil, fmt.Errorf("roster: decode minutes of %s: %w", a.Ref, err)
		}
		if len(byKey) > 0 {
			a.SiteMinutes = make(map[int64]float64, len(byKey))
			for k, m := range byKey {
				id, err := strconv.ParseInt(k, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("roster: site key %q: %w", k, err)
				}
				a.SiteMinutes[id] = m
			}
		}
		out = append(out, a)
	}
	return out, relocation.DBError("roster: rows", rows.Err(), "")
}

// rosterSize counts a relocation's agents.
// countAgents counts a relocation's agents ($1).
const countAgents = `SELECT count(*) FROM agents WHERE relocation_id = $1`

// rosterSizeIn counts relocation relocationID's agents inside an action.
func rosterSizeIn(ctx context.Context, tx *relocation.Tx, relocationID int64) (int, error) {
	var n int
	err := tx.Get(ctx, &n, countAgents, relocationID)
	return n, relocation.DBError("roster: count", err, "")
}

// RosterSize returns how many agents relocation relocationID's roster holds.
func (s *Store) RosterSize(ctx context.Context, relocationID int64) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, s.q, &n, countAgents, relocationID)
	return n, relocation.DBError("roster: count", err, "")
}

// CommuteFigures returns the stored commute figures of relocation relocationID's sites,
// by site id.
func (s *Store) CommuteFigures(ctx context.Context, relocationID int64) ([]Figures, error) {
	rows, err := s.q.QueryxContext(ctx, `SELECT site_id, agents, estimated, estimated_current, mean, median, p90,
		mean_delta, share_over_limit, share_shorter, withheld, changes FROM commute_figures
		WHERE relocation_id = $1 ORDER BY site_id`, relocationID)
	if err != nil {
		return nil, relocation.DBError("commute: figures", err, "")
	}
	defer rows.Close()
	out := []Figures{}
	for rows.Next() {
		var f Figures
		var changes pq.Int64Array
		if err := rows.Scan(&f.SiteID, &f.Agents, &f.Estimated, &f.EstimatedCurrent, &f.Mean, &f.Median, &f.P90,
			&f.MeanDelta, &f.ShareOverLimit, &f.ShareShorter, &f.Withheld, &changes); err != nil {
			return nil, relocation.DBError("commute: scan", err, "")
		}
		for i := 0; i < len(changes) && i < len(f.Changes); i++ {
			f.Changes[i] = int(changes[i])
		}
		out = append(out, f)
	}
	return out, relocation.DBError("commute: rows", rows.Err(), "")
}

// RosterRefused is the EINVALID refusal of a roster file: every error (the first
// MaxRosterErrors) by line and column.
func RosterRefused(errs []RosterError) error {
	fields := make([]relocation.FieldError, len(errs))
	for i, e := range errs {
		fields[i] = relocation.FieldError{Line: e.Line, Column: e.Column, Message: e.Message}
	}
	msg := "Le fichier des agents est refusé : 1 erreur, aucune ligne n’a été importée et la liste précédente reste en place."
	if len(errs) > 1 {
		msg = fmt.Sprintf("Le fichier des agents est refusé : %d erreurs%s, aucune ligne n’a été importée et la liste précédente reste en place.",
			len(errs), map[bool]string{true: " (les 100 premières)", false: ""}[len(errs) >= MaxRosterErrors])
	}
	return &relocation.Error{Code: relocation.EINVALID, Message: msg, Fields: fields}
}
