package sites

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/relocation"
)

const partnerColumns = `id, relocation_id, name, address, lat, lon, weight, version, created_at, updated_at`

// PartnerNotFound is the refusal of a partner body that does not exist.
const PartnerNotFound = "Cet organisme partenaire n’existe pas."

// Partners returns a relocation's partner bodies by id (the order they were entered).
func (s *Store) Partners(ctx context.Context, relocationID int64) ([]Partner, error) {
	out := []Partner{}
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT `+partnerColumns+` FROM partners WHERE relocation_id = $1 ORDER BY id`, relocationID)
	return out, relocation.DBError("sites: partners", err, "")
}

// Partner returns one partner body; ENOTFOUND when there is none.
func (s *Store) Partner(ctx context.Context, id int64) (Partner, error) {
	var out Partner
	err := sqlx.GetContext(ctx, s.q, &out, `SELECT `+partnerColumns+` FROM partners WHERE id = $1`, id)
	return out, relocation.DBError(fmt.Sprintf("sites: partner %d", id), err, PartnerNotFound)
}

// CreatePartner adds the partner body input returns (start it from NewPartner) to
// relocation relocationID, journaled. Its coordinates follow Reach.Check (EINVALID).
// Errors: see relocation.Act; input's.
func (s *Store) CreatePartner(ctx context.Context, by relocation.Actor, relocationID int64, input func() (Partner, error)) (Partner, error) {
	var out Partner
	err := relocation.Act(ctx, s.db, by, relocationID, func(tx *relocation.Tx) error {
		p, err := input()
		if err != nil {
			return err
		}
		if fields := ReachOf(tx.Relocation).CheckFields(&p.Lat, &p.Lon, "lat", "lon"); fields != nil {
			return relocation.Invalid(fields...)
		}
		err = tx.WriteGet(ctx, &out, `INSERT INTO partners (relocation_id, name, address, lat, lon, weight)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+partnerColumns,
			relocationID, p.Name, p.Address, p.Lat, p.Lon, p.Weight)
		if err != nil {
			return relocation.DBError("sites: create partner", err, "")
		}
		return tx.Journal(ctx, EntityPartner, out.ID, relocation.ActionCreate, relocation.Diff(nil, out.Fields()))
	})
	return out, err
}

// UpdatePartner changes partner body id to what edit makes of its current values, provided
// pre holds. A change that changes nothing keeps the version and journals nothing.
// Errors: ENOTFOUND; see relocation.Act; EPRECONDREQ/EPRECONDITION; edit's.
func (s *Store) UpdatePartner(ctx context.Context, by relocation.Actor, id int64, pre relocation.Precondition, edit func(cur Partner) (Partner, error)) (Partner, error) {
	var out Partner
	err := s.actPartner(ctx, by, id, func(tx *relocation.Tx, cur Partner) error {
		next, changes, err := relocation.Revise(pre, cur.Version, cur, Partner.Fields, edit)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			out = cur
			return nil
		}
		_, movedLat := changes["lat"]
		if _, movedLon := changes["lon"]; movedLat || movedLon {
			if fields := ReachOf(tx.Relocation).CheckFields(&next.Lat, &next.Lon, "lat", "lon"); fields != nil {
				return relocation.Invalid(fields...)
			}
		}
		err = tx.WriteGet(ctx, &out, `UPDATE partners SET name = $2, address = $3, lat = $4, lon = $5, weight = $6,
			version = version + 1, updated_at = now() WHERE id = $1 RETURNING `+partnerColumns,
			id, next.Name, next.Address, next.Lat, next.Lon, next.Weight)
		if err != nil {
			return relocation.DBError(fmt.Sprintf("sites: update partner %d", id), err, PartnerNotFound)
		}
		return tx.Journal(ctx, EntityPartner, id, relocation.ActionUpdate, changes)
	})
	return out, err
}

// DeletePartner removes partner body id, provided pre holds; the journal keeps its last
// values. Errors: ENOTFOUND; see relocation.Act; EPRECONDREQ/EPRECONDITION.
func (s *Store) DeletePartner(ctx context.Context, by relocation.Actor, id int64, pre relocation.Precondition) error {
	return s.actPartner(ctx, by, id, func(tx *relocation.Tx, cur Partner) error {
		if err := pre.CheckVersion(cur.Version, true); err != nil {
			return err
		}
		if err := tx.Write(ctx, `DELETE FROM partners WHERE id = $1`, id); err != nil {
			return relocation.DBError(fmt.Sprintf("sites: delete partner %d", id), err, PartnerNotFound)
		}
		return tx.Journal(ctx, EntityPartner, id, relocation.ActionDelete, relocation.Diff(cur.Fields(), nil))
	})
}

// actPartner runs fn as an action on partner id's relocation, with the partner as read
// under the relocation's lock. ENOTFOUND when there is no such partner.
func (s *Store) actPartner(ctx context.Context, by relocation.Actor, id int64, fn func(tx *relocation.Tx, cur Partner) error) error {
	return relocation.ActOnRow(ctx, s.db, by, "partners", partnerColumns, id, PartnerNotFound, fn)
}
