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

// siteRows is the sites table.
var siteRows = relocation.Rows[Site]{Table: "sites", Columns: siteColumns, Entity: EntitySite, NotFound: NotFound}

// Sites returns a relocation's sites by id (the order they were entered).
func (s *Store) Sites(ctx context.Context, relocationID int64) ([]Site, error) {
	return siteRows.List(ctx, s.q, relocationID)
}

// Site returns one site; ENOTFOUND when there is none.
func (s *Store) Site(ctx context.Context, id int64) (Site, error) {
	return siteRows.Get(ctx, s.q, id)
}

// CreateSite adds the site input returns to relocation relocationID (status candidate
// unless given). A site created as selected becomes the relocation's chosen site in the
// same transaction. Errors: see relocation.Act; ECONFLICT when another site is already
// selected; input's.
func (s *Store) CreateSite(ctx context.Context, by relocation.Actor, relocationID int64, input func() (Site, error)) (Site, error) {
	return siteRows.Create(ctx, s.db, by, relocationID, input, func(tx *relocation.Tx, site Site) (Site, error) {
		if fields := ReachOf(tx.Relocation).CheckFields(site.Lat, site.Lon, "lat", "lon"); fields != nil {
			return site, relocation.Invalid(fields...)
		}
		if site.Status == "" {
			site.Status = StatusCandidate
		}
		out, err := siteRows.Insert(ctx, tx, `INSERT INTO sites (relocation_id, name, address, commune, department, lat, lon,
			kind, surface_m2, annual_cost_eur, available_from, status, decision_reason, decided)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING `+siteColumns,
			relocationID, site.Name, site.Address, site.Commune, site.Department, site.Lat, site.Lon, site.Kind,
			site.SurfaceM2, site.AnnualCostEUR, site.AvailableFrom, site.Status, site.DecisionReason, site.Decided)
		if err != nil {
			return out, err
		}
		if err := RefreshCommutes(ctx, tx, out.ID); err != nil {
			return out, err
		}
		return out, syncChosenSite(ctx, tx)
	})
}

// UpdateSite changes site id to what edit makes of its current values, provided pre
// holds. Selecting the site makes it the relocation's chosen site in the same
// transaction; selecting a second site of a relocation is ECONFLICT until the first is
// changed back. A change that changes nothing keeps the version and journals nothing.
// Errors: ENOTFOUND; see relocation.Act; EPRECONDREQ/EPRECONDITION; ECONFLICT; edit's.
func (s *Store) UpdateSite(ctx context.Context, by relocation.Actor, id int64, pre relocation.Precondition, edit func(cur Site) (Site, error)) (Site, error) {
	return siteRows.Change(ctx, s.db, by, id, pre, edit, func(tx *relocation.Tx, cur, n Site, changes map[string]relocation.Change) (Site, error) {
		if moved(changes) {
			if fields := ReachOf(tx.Relocation).CheckFields(n.Lat, n.Lon, "lat", "lon"); fields != nil {
				return n, relocation.Invalid(fields...)
			}
		}
		out, err := siteRows.Update(ctx, tx, id, changes, `UPDATE sites SET name = $2, address = $3, commune = $4, department = $5,
			lat = $6, lon = $7, kind = $8, surface_m2 = $9, annual_cost_eur = $10, available_from = $11,
			status = $12, decision_reason = $13, decided = $14, version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+siteColumns,
			id, n.Name, n.Address, n.Commune, n.Department, n.Lat, n.Lon, n.Kind, n.SurfaceM2, n.AnnualCostEUR,
			n.AvailableFrom, n.Status, n.DecisionReason, n.Decided)
		if err != nil {
			return out, err
		}
		if cur.Status == StatusSelected || out.Status == StatusSelected { // the public page names the chosen site
			if err := tx.TouchPublic(ctx); err != nil {
				return out, err
			}
		}
		if moved(changes) {
			if err := RefreshCommutes(ctx, tx, id); err != nil {
				return out, err
			}
		}
		return out, syncChosenSite(ctx, tx)
	})
}

// SiteIn reads site id of relocation relocationID inside an action; ENOTFOUND when
// the relocation has no such site.
func SiteIn(ctx context.Context, tx *relocation.Tx, id int64) (Site, error) {
	return siteIn(ctx, tx, tx.Relocation.ID, id)
}

func siteIn(ctx context.Context, tx *relocation.Tx, relocationID, id int64) (Site, error) {
	var cur Site
	err := tx.Get(ctx, &cur, `SELECT `+siteColumns+` FROM sites WHERE id = $1 AND relocation_id = $2`, id, relocationID)
	return cur, relocation.DBError(fmt.Sprintf("sites: read %d", id), err, NotFound)
}

// syncChosenSite sets the relocation's chosen_site_id to its selected site (or null),
// journaling the change when there is one. Selecting a site (the chosen site changes to
// it) also moves a relocation still announced or searching to site_selected, in the same
// change (SPEC, Status); nothing else touches the status, so a status set back by hand
// stays as it is when another site is created or renamed. The news feed tells the choice.
func syncChosenSite(ctx context.Context, tx *relocation.Tx) error {
	r := tx.Relocation
	var chosen []Site
	if err := tx.Select(ctx, &chosen, `SELECT `+siteColumns+` FROM sites WHERE relocation_id = $1 AND status = $2`,
		r.ID, StatusSelected); err != nil {
		return relocation.DBError("sites: chosen site", err, "")
	}
	var after *int64
	if len(chosen) > 0 {
		after = &chosen[0].ID
	}
	if equalIDs(r.ChosenSiteID, after) {
		return nil
	}
	status := r.Status
	if after != nil && (status == relocation.StatusAnnounced || status == relocation.StatusSiteSearch) {
		status = relocation.StatusSiteSelected
	}
	var out relocation.Relocation
	err := tx.WriteGet(ctx, &out, `UPDATE relocations SET chosen_site_id = $2, status = $3, version = version + 1,
		updated_at = now() WHERE id = $1 RETURNING `+relocation.Columns, r.ID, after, status)
	if err != nil {
		return relocation.DBError("sites: chosen site", err, "")
	}
	tx.Relocation = out
	changes := map[string]relocation.Change{"chosen_site_id": {Before: deref(r.ChosenSiteID), After: deref(after)}}
	if status != r.Status {
		changes["status"] = relocation.Change{Before: r.Status, After: status}
	}
	if err := tx.Journal(ctx, relocation.EntityRelocation, r.ID, relocation.ActionUpdate, changes); err != nil {
		return err
	}
	if after == nil {
		return tx.TouchPublic(ctx) // the public page no longer names a site
	}
	return tx.SiteChosen(ctx, chosen[0].Name, chosen[0].Commune)
}

func equalIDs(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
