package sites

import (
	"context"

	"github.com/ministere/tracker/relocation"
)

const partnerColumns = `id, relocation_id, name, address, lat, lon, weight, version, created_at, updated_at`

// PartnerNotFound is the refusal of a partner body that does not exist.
const PartnerNotFound = "Cet organisme partenaire n’existe pas."

// partnerRows is the partners table.
var partnerRows = relocation.Rows[Partner]{Table: "partners", Columns: partnerColumns, Entity: EntityPartner, NotFound: PartnerNotFound}

// Partners returns a relocation's partner bodies by id (the order they were entered).
func (s *Store) Partners(ctx context.Context, relocationID int64) ([]Partner, error) {
	return partnerRows.List(ctx, s.q, relocationID)
}

// Partner returns one partner body; ENOTFOUND when there is none.
func (s *Store) Partner(ctx context.Context, id int64) (Partner, error) {
	return partnerRows.Get(ctx, s.q, id)
}

// CreatePartner adds the partner body input returns (start it from NewPartner) to
// relocation relocationID, journaled. Its coordinates follow Reach.Check (EINVALID).
// Errors: see relocation.Act; input's.
func (s *Store) CreatePartner(ctx context.Context, by relocation.Actor, relocationID int64, input func() (Partner, error)) (Partner, error) {
	return partnerRows.Create(ctx, s.db, by, relocationID, input, func(tx *relocation.Tx, p Partner) (Partner, error) {
		if fields := ReachOf(tx.Relocation).CheckFields(&p.Lat, &p.Lon, "lat", "lon"); fields != nil {
			return p, relocation.Invalid(fields...)
		}
		return partnerRows.Insert(ctx, tx, `INSERT INTO partners (relocation_id, name, address, lat, lon, weight)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+partnerColumns,
			relocationID, p.Name, p.Address, p.Lat, p.Lon, p.Weight)
	})
}

// UpdatePartner changes partner body id to what edit makes of its current values, provided
// pre holds. A change that changes nothing keeps the version and journals nothing.
// Errors: ENOTFOUND; see relocation.Act; EPRECONDREQ/EPRECONDITION; edit's.
func (s *Store) UpdatePartner(ctx context.Context, by relocation.Actor, id int64, pre relocation.Precondition, edit func(cur Partner) (Partner, error)) (Partner, error) {
	return partnerRows.Change(ctx, s.db, by, id, pre, edit, func(tx *relocation.Tx, _, next Partner, changes map[string]relocation.Change) (Partner, error) {
		if moved(changes) {
			if fields := ReachOf(tx.Relocation).CheckFields(&next.Lat, &next.Lon, "lat", "lon"); fields != nil {
				return next, relocation.Invalid(fields...)
			}
		}
		return partnerRows.Update(ctx, tx, id, changes, `UPDATE partners SET name = $2, address = $3, lat = $4, lon = $5,
			weight = $6, version = version + 1, updated_at = now() WHERE id = $1 RETURNING `+partnerColumns,
			id, next.Name, next.Address, next.Lat, next.Lon, next.Weight)
	})
}

// DeletePartner removes partner body id, provided pre holds; the journal keeps its last
// values. Errors: ENOTFOUND; see relocation.Act; EPRECONDREQ/EPRECONDITION.
func (s *Store) DeletePartner(ctx context.Context, by relocation.Actor, id int64, pre relocation.Precondition) error {
	return partnerRows.Delete(ctx, s.db, by, id, pre)
}

// moved reports whether changes move a point (its lat or lon): a point stored before
// the reach rule keeps its place until moved.
func moved(changes map[string]relocation.Change) bool {
	_, lat := changes["lat"]
	_, lon := changes["lon"]
	return lat || lon
}
