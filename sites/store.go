package sites

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/relocation"
)

// Store reads and writes sites; every write is journaled in its transaction.
type Store struct {
	db *sqlx.DB
}

// NewStore returns a store over db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db} }

const siteColumns = `id, relocation_id, name, address, commune, department, lat, lon, kind, surface_m2,
	annual_cost_eur, available_from, status, decision_reason, version, created_at, updated_at`

const siteNotFound = "Ce site n’existe pas."

// Sites returns a relocation's sites by id (the order they were entered).
func (s *Store) Sites(ctx context.Context, relocationID int64) ([]Site, error) {
	out := []Site{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+siteColumns+` FROM sites WHERE relocation_id = $1 ORDER BY id`, relocationID)
	return out, relocation.DBError("sites: list", err, "")
}

// Site returns one site; ENOTFOUND when there is none.
func (s *Store) Site(ctx context.Context, id int64) (Site, error) {
	var out Site
	err := s.db.GetContext(ctx, &out, `SELECT `+siteColumns+` FROM sites WHERE id = $1`, id)
	return out, relocation.DBError(fmt.Sprintf("sites: get %d", id), err, siteNotFound)
}

// CreateSite stores a new site of site.RelocationID (ENOTFOUND when that relocation does
// not exist). A site created as selected becomes the relocation's chosen site (ECONFLICT
// when another site is already selected).
func (s *Store) CreateSite(ctx context.Context, by relocation.Actor, site Site) (Site, error) {
	if site.Status == "" {
		site.Status = StatusCandidate
	}
	var out Site
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := relocation.LockRelocation(ctx, tx, site.RelocationID); err != nil {
			return err
		}
		err := tx.GetContext(ctx, &out, `INSERT INTO sites (relocation_id, name, address, commune, department, lat, lon,
			kind, surface_m2, annual_cost_eur, available_from, status, decision_reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING `+siteColumns,
			site.RelocationID, site.Name, site.Address, site.Commune, site.Department, site.Lat, site.Lon, site.Kind,
			site.SurfaceM2, site.AnnualCostEUR, site.AvailableFrom, site.Status, site.DecisionReason)
		if err != nil {
			return selectionConflict(relocation.DBError("sites: create", err, ""))
		}
		if err := relocation.WriteJournal(ctx, tx, by, out.RelocationID, EntitySite, out.ID, relocation.ActionCreate,
			relocation.Diff(nil, out.Fields())); err != nil {
			return err
		}
		return syncChosenSite(ctx, tx, by, out.RelocationID)
	})
	return out, err
}

// UpdateSite replaces the editable fields of site id with next's, provided the stored
// version is still version (EPRECONDITION otherwise). Selecting the site makes it the
// relocation's chosen site, in the same transaction; selecting a second site of a
// relocation is ECONFLICT until the first is changed back. A change that changes
// nothing returns the stored site untouched.
func (s *Store) UpdateSite(ctx context.Context, by relocation.Actor, id int64, version int, next Site) (Site, error) {
	var out Site
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		// Lock the relocation, then the site: the order CreateSite takes, so that
		// selections racing each other wait instead of deadlocking.
		var relID int64
		err := tx.GetContext(ctx, &relID, `SELECT r.id FROM relocations r JOIN sites s ON s.relocation_id = r.id
			WHERE s.id = $1 FOR UPDATE OF r`, id)
		if err != nil {
			return relocation.DBError(fmt.Sprintf("sites: lock relocation of %d", id), err, siteNotFound)
		}
		var cur Site
		if err := tx.GetContext(ctx, &cur, `SELECT `+siteColumns+` FROM sites WHERE id = $1 FOR UPDATE`, id); err != nil {
			return relocation.DBError(fmt.Sprintf("sites: lock %d", id), err, siteNotFound)
		}
		if cur.Version != version {
			return relocation.StaleVersion(cur.Version)
		}
		changes := relocation.Diff(cur.Fields(), next.Fields())
		if len(changes) == 0 {
			out = cur
			return nil
		}
		n := next
		err = tx.GetContext(ctx, &out, `UPDATE sites SET name = $2, address = $3, commune = $4, department = $5,
			lat = $6, lon = $7, kind = $8, surface_m2 = $9, annual_cost_eur = $10, available_from = $11,
			status = $12, decision_reason = $13, version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+siteColumns,
			id, n.Name, n.Address, n.Commune, n.Department, n.Lat, n.Lon, n.Kind, n.SurfaceM2, n.AnnualCostEUR,
			n.AvailableFrom, n.Status, n.DecisionReason)
		if err != nil {
			return selectionConflict(relocation.DBError(fmt.Sprintf("sites: update %d", id), err, siteNotFound))
		}
		if err := relocation.WriteJournal(ctx, tx, by, out.RelocationID, EntitySite, id, relocation.ActionUpdate, changes); err != nil {
			return err
		}
		return syncChosenSite(ctx, tx, by, out.RelocationID)
	})
	return out, err
}

// syncChosenSite sets the relocation's chosen_site_id to its selected site (or null),
// journaling the change when there is one.
func syncChosenSite(ctx context.Context, tx *sqlx.Tx, by relocation.Actor, relocationID int64) error {
	var change struct {
		Before *int64 `db:"before"`
		After  *int64 `db:"after"`
	}
	err := tx.GetContext(ctx, &change, `WITH chosen AS (
			SELECT (SELECT id FROM sites WHERE relocation_id = $1 AND status = 'selected') AS id),
		old AS (SELECT chosen_site_id FROM relocations WHERE id = $1)
		UPDATE relocations r SET chosen_site_id = chosen.id,
			version = CASE WHEN r.chosen_site_id IS DISTINCT FROM chosen.id THEN r.version + 1 ELSE r.version END,
			updated_at = CASE WHEN r.chosen_site_id IS DISTINCT FROM chosen.id THEN now() ELSE r.updated_at END
		FROM chosen, old WHERE r.id = $1
		RETURNING old.chosen_site_id AS before, r.chosen_site_id AS after`, relocationID)
	if err != nil {
		return relocation.DBError("sites: chosen site", err, "")
	}
	if equalIDs(change.Before, change.After) {
		return nil
	}
	return relocation.WriteJournal(ctx, tx, by, relocationID, relocation.EntityRelocation, relocationID, relocation.ActionUpdate,
		map[string]relocation.Change{"chosen_site_id": {Before: deref(change.Before), After: deref(change.After)}})
}

func equalIDs(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

// selectionConflict gives the one-selected-site rule its message, when the database
// refused a second selected site (the only unique index a site write can break).
func selectionConflict(err error) error {
	var driver interface{ SQLState() string }
	if errors.As(err, &driver) && driver.SQLState() == "23505" {
		return &relocation.Error{Code: relocation.ECONFLICT,
			Message: "Un autre site est déjà retenu pour ce projet : changez d’abord son statut.",
			Fields:  []relocation.FieldError{{Field: "status", Message: "un seul site retenu par projet"}}}
	}
	return err
}

func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return relocation.InTx(ctx, s.db, fn)
}
