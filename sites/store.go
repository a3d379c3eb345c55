package sites

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/relocation"
)

// Store reads sites and runs the user actions that change them, each through
// relocation.Act.
type Store struct {
	db *sqlx.DB
	q  sqlx.QueryerContext // where reads run: the pool, or a snapshot (see In)
}

// NewStore returns a store over db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db, q: db} }

// In returns the store reading over q (a relocation.Snapshot, say).
func (s *Store) In(q sqlx.QueryerContext) *Store { return &Store{db: s.db, q: q} }

const siteColumns = `id, relocation_id, name, address, commune, department, lat, lon, kind, surface_m2,
	annual_cost_eur, available_from, status, decision_reason, decided, version, created_at, updated_at`

// NotFound is the refusal of a site that does not exist.
const NotFound = "Ce site n’existe pas."

// Sites returns a relocation's sites by id (the order they were entered).
func (s *Store) Sites(ctx context.Context, relocationID int64) ([]Site, error) {
	out := []Site{}
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT `+siteColumns+` FROM sites WHERE relocation_id = $1 ORDER BY id`, relocationID)
	return out, relocation.DBError("sites: list", err, "")
}

// Site returns one site; ENOTFOUND when there is none.
func (s *Store) Site(ctx context.Context, id int64) (Site, error) {
	var out Site
	err := sqlx.GetContext(ctx, s.q, &out, `SELECT `+siteColumns+` FROM sites WHERE id = $1`, id)
	return out, relocation.DBError(fmt.Sprintf("sites: get %d", id), err, NotFound)
}

// CreateSite adds the site input returns to relocation relocationID (status candidate
// unless given). A site created as selected becomes the relocation's chosen site in the
// same transaction. Errors: see relocation.Act; ECONFLICT when another site is already
// selected; input's.
func (s *Store) CreateSite(ctx context.Context, by relocation.Actor, relocationID int64, input func() (Site, error)) (Site, error) {
	var out Site
	err := relocation.Act(ctx, s.db, by, relocationID, func(tx *relocation.Tx) error {
		site, err := input()
		if err != nil {
			return err
		}
		if fields := ReachOf(tx.Relocation).CheckFields(site.Lat, site.Lon, "lat", "lon"); fields != nil {
			return relocation.Invalid(fields...)
		}
		if site.Status == "" {
			site.Status = StatusCandidate
		}
		err = tx.GetContext(ctx, &out, `INSERT INTO sites (relocation_id, name, address, commune, department, lat, lon,
			kind, surface_m2, annual_cost_eur, available_from, status, decision_reason, decided)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING `+siteColumns,
			relocationID, site.Name, site.Address, site.Commune, site.Department, site.Lat, site.Lon, site.Kind,
			site.SurfaceM2, site.AnnualCostEUR, site.AvailableFrom, site.Status, site.DecisionReason, site.Decided)
		if err != nil {
			return relocation.DBError("sites: create", err, "")
		}
		if err := tx.Journal(ctx, EntitySite, out.ID, relocation.ActionCreate, relocation.Diff(nil, out.Fields())); err != nil {
			return err
		}
		if err := RefreshCommutes(ctx, tx, out.ID); err != nil {
			return err
		}
		return syncChosenSite(ctx, tx)
	})
	return out, err
}

// UpdateSite changes site id to what edit makes of its current values, provided pre
// holds. Selecting the site makes it the relocation's chosen site in the same
// transaction; selecting a second site of a relocation is ECONFLICT until the first is
// changed back. A change that changes nothing keeps the version and journals nothing.
// Errors: ENOTFOUND; see relocation.Act; EPRECONDREQ/EPRECONDITION; ECONFLICT; edit's.
func (s *Store) UpdateSite(ctx context.Context, by relocation.Actor, id int64, pre relocation.Precondition, edit func(cur Site) (Site, error)) (Site, error) {
	var out Site
	err := s.act(ctx, by, id, func(tx *relocation.Tx, cur Site) error {
		if err := pre.CheckVersion(cur.Version, true); err != nil {
			return err
		}
		before := cur.Fields() // before edit runs: its input may share cur's pointers
		n, err := edit(cur)
		if err != nil {
			return err
		}
		changes := relocation.Diff(before, n.Fields())
		_, movedLat := changes["lat"]
		_, movedLon := changes["lon"]
		if movedLat || movedLon { // a site stored before the rule keeps its place until moved
			if fields := ReachOf(tx.Relocation).CheckFields(n.Lat, n.Lon, "lat", "lon"); fields != nil {
				return relocation.Invalid(fields...)
			}
		}
		if len(changes) == 0 {
			out = cur
			return nil
		}
		err = tx.GetContext(ctx, &out, `UPDATE sites SET name = $2, address = $3, commune = $4, department = $5,
			lat = $6, lon = $7, kind = $8, surface_m2 = $9, annual_cost_eur = $10, available_from = $11,
			status = $12, decision_reason = $13, decided = $14, version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+siteColumns,
			id, n.Name, n.Address, n.Commune, n.Department, n.Lat, n.Lon, n.Kind, n.SurfaceM2, n.AnnualCostEUR,
			n.AvailableFrom, n.Status, n.DecisionReason, n.Decided)
		if err != nil {
			return relocation.DBError(fmt.Sprintf("sites: update %d", id), err, NotFound)
		}
		if err := tx.Journal(ctx, EntitySite, id, relocation.ActionUpdate, changes); err != nil {
			return err
		}
		if cur.Status == StatusSelected || out.Status == StatusSelected { // the public page names the chosen site
			if err := tx.TouchPublic(ctx); err != nil {
				return err
			}
		}
		if movedLat || movedLon {
			if err := RefreshCommutes(ctx, tx, id); err != nil {
				return err
			}
		}
		return syncChosenSite(ctx, tx)
	})
	return out, err
}

// act runs fn as an action on site id's relocation, with the site as read under the
// relocation's lock. ENOTFOUND when there is no such site.
func (s *Store) act(ctx context.Context, by relocation.Actor, id int64, fn func(tx *relocation.Tx, cur Site) error) error {
	relocationID, err := relocation.OwnerOf(ctx, s.db, "sites", id, NotFound)
	if err != nil {
		return err
	}
	return relocation.Act(ctx, s.db, by, relocationID, func(tx *relocation.Tx) error {
		cur, err := siteIn(ctx, tx, relocationID, id)
		if err != nil {
			return err
		}
		return fn(tx, cur)
	})
}

// SiteIn reads site id of relocation relocationID inside an action; ENOTFOUND when
// the relocation has no such site.
func SiteIn(ctx context.Context, tx *relocation.Tx, id int64) (Site, error) {
	return siteIn(ctx, tx, tx.Relocation.ID, id)
}

func siteIn(ctx context.Context, tx *relocation.Tx, relocationID, id int64) (Site, error) {
	var cur Site
	err := tx.GetContext(ctx, &cur, `SELECT `+siteColumns+` FROM sites WHERE id = $1 AND relocation_id = $2`, id, relocationID)
	return cur, relocation.DBError(fmt.Sprintf("sites: read %d", id), err, NotFound)
}

// syncChosenSite sets the relocation's chosen_site_id to its selected site (or null),
// journaling the change when there is one.
func syncChosenSite(ctx context.Context, tx *relocation.Tx) error {
	relocationID := tx.Relocation.ID
	var change struct {
		Before       *int64 `db:"before"`
		After        *int64 `db:"after"`
		StatusBefore string `db:"status_before"`
		StatusAfter  string `db:"status_after"`
	}
	// Selecting a site moves a relocation still announced or searching to site_selected:
	// its status follows the event.
	err := tx.GetContext(ctx, &change, `WITH chosen AS (
			SELECT (SELECT id FROM sites WHERE relocation_id = $1 AND status = 'selected') AS id),
		old AS (SELECT chosen_site_id, status FROM relocations WHERE id = $1)
		UPDATE relocations r SET chosen_site_id = chosen.id,
			status = CASE WHEN chosen.id IS NOT NULL AND r.status IN ('announced', 'site_search') THEN 'site_selected' ELSE r.status END,
			version = CASE WHEN r.chosen_site_id IS DISTINCT FROM chosen.id THEN r.version + 1 ELSE r.version END,
			updated_at = CASE WHEN r.chosen_site_id IS DISTINCT FROM chosen.id THEN now() ELSE r.updated_at END
		FROM chosen, old WHERE r.id = $1
		RETURNING old.chosen_site_id AS before, r.chosen_site_id AS after, old.status AS status_before, r.status AS status_after`, relocationID)
	if err != nil {
		return relocation.DBError("sites: chosen site", err, "")
	}
	if equalIDs(change.Before, change.After) {
		return nil
	}
	if err := tx.TouchPublic(ctx); err != nil {
		return err
	}
	changes := map[string]relocation.Change{"chosen_site_id": {Before: deref(change.Before), After: deref(change.After)}}
	if change.StatusBefore != change.StatusAfter {
		changes["status"] = relocation.Change{Before: change.StatusBefore, After: change.StatusAfter}
	}
	return tx.Journal(ctx, relocation.EntityRelocation, relocationID, relocation.ActionUpdate, changes)
}

func equalIDs(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
