package relocation

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Store reads and writes relocations, milestones and the journal in PostgreSQL. Every
// write runs in one transaction with its journal entry.
type Store struct {
	db *sqlx.DB
}

// NewStore returns a store over db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db} }

// DB returns the pool the store uses (tests reach the database through it).
func (s *Store) DB() *sqlx.DB { return s.db }

const relocationColumns = `id, slug, name, body, body_name, origin, origin_lat, origin_lon, destination,
	decision, headcount, residents, surface_ratio_m2, required_surface_m2, status, target_move,
	chosen_site_id, visibility, commute_increase_limit_min, commute_access_min, commute_detour,
	commute_speed_kmh, notes, version, created_at, updated_at`

// Relocations returns every relocation, ordered by name.
func (s *Store) Relocations(ctx context.Context) ([]Relocation, error) {
	out := []Relocation{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+relocationColumns+` FROM relocations ORDER BY name, id`)
	return out, DBError("relocation: list", err, "")
}

// Relocation returns one relocation; ENOTFOUND when there is none.
func (s *Store) Relocation(ctx context.Context, id int64) (Relocation, error) {
	var r Relocation
	err := s.db.GetContext(ctx, &r, `SELECT `+relocationColumns+` FROM relocations WHERE id = $1`, id)
	return r, DBError(fmt.Sprintf("relocation: get %d", id), err, relocationNotFound)
}

// RelocationBySlug returns the relocation with this slug; ENOTFOUND when there is none.
func (s *Store) RelocationBySlug(ctx context.Context, slug string) (Relocation, error) {
	var r Relocation
	err := s.db.GetContext(ctx, &r, `SELECT `+relocationColumns+` FROM relocations WHERE slug = $1`, slug)
	return r, DBError("relocation: by slug", err, relocationNotFound)
}

// CreateRelocation stores a new relocation (its ID, version and times are ignored) and
// journals it. ECONFLICT when the slug is taken, EINVALID when the database refuses a value.
func (s *Store) CreateRelocation(ctx context.Context, by Actor, r Relocation) (Relocation, error) {
	return s.CreateRelocationThen(ctx, by, r, nil)
}

// CreateRelocationThen is CreateRelocation that also runs then, when not nil, in the
// same transaction (to assign the creator as a manager, say).
func (s *Store) CreateRelocationThen(ctx context.Context, by Actor, r Relocation, then func(ctx context.Context, tx *sqlx.Tx, created Relocation) error) (Relocation, error) {
	var out Relocation
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &out, `INSERT INTO relocations (slug, name, body, body_name, origin,
			origin_lat, origin_lon, destination, decision, headcount, residents, surface_ratio_m2,
			required_surface_m2, status, target_move, chosen_site_id, visibility,
			commute_increase_limit_min, commute_access_min, commute_detour, commute_speed_kmh, notes)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
			RETURNING `+relocationColumns,
			r.Slug, r.Name, r.Body, r.BodyName, r.Origin, r.OriginLat, r.OriginLon, r.Destination,
			r.Decision, r.Headcount, r.Residents, r.SurfaceRatioM2, r.RequiredSurfaceM2, r.Status,
			r.TargetMove, r.ChosenSiteID, r.Visibility, r.CommuteIncreaseLimitMin, r.CommuteAccessMin,
			r.CommuteDetour, r.CommuteSpeedKmh, r.Notes)
		if err != nil {
			return slugConflict(DBError("relocation: create", err, ""))
		}
		if err := WriteJournal(ctx, tx, by, out.ID, EntityRelocation, out.ID, ActionCreate, Diff(nil, out.Fields())); err != nil {
			return err
		}
		if then != nil {
			return then(ctx, tx, out)
		}
		return nil
	})
	return out, err
}

// UpdateRelocation replaces the editable fields of relocation id with those of next,
// provided the stored version is still version (EPRECONDITION otherwise, ENOTFOUND when
// it is gone). A change that changes nothing returns the stored relocation untouched.
func (s *Store) UpdateRelocation(ctx context.Context, by Actor, id int64, version int, next Relocation) (Relocation, error) {
	var out Relocation
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		cur, err := LockRelocation(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return StaleVersion(cur.Version)
		}
		changes := Diff(cur.Fields(), next.Fields())
		if len(changes) == 0 {
			out = cur
			return nil
		}
		r := next
		err = tx.GetContext(ctx, &out, `UPDATE relocations SET slug = $2, name = $3, body = $4,
			body_name = $5, origin = $6, origin_lat = $7, origin_lon = $8, destination = $9, decision = $10,
			headcount = $11, residents = $12, surface_ratio_m2 = $13, required_surface_m2 = $14,
			status = $15, target_move = $16, chosen_site_id = $17, visibility = $18,
			commute_increase_limit_min = $19, commute_access_min = $20, commute_detour = $21,
			commute_speed_kmh = $22, notes = $23, version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+relocationColumns,
			id, r.Slug, r.Name, r.Body, r.BodyName, r.Origin, r.OriginLat, r.OriginLon, r.Destination,
			r.Decision, r.Headcount, r.Residents, r.SurfaceRatioM2, r.RequiredSurfaceM2, r.Status,
			r.TargetMove, r.ChosenSiteID, r.Visibility, r.CommuteIncreaseLimitMin, r.CommuteAccessMin,
			r.CommuteDetour, r.CommuteSpeedKmh, r.Notes)
		if err != nil {
			return slugConflict(DBError(fmt.Sprintf("relocation: update %d", id), err, relocationNotFound))
		}
		return WriteJournal(ctx, tx, by, id, EntityRelocation, id, ActionUpdate, changes)
	})
	return out, err
}

// LockRelocation reads a relocation and locks its row until the transaction ends:
// every write to a relocation or what belongs to it takes this lock first, so they
// queue in one order. ENOTFOUND when it does not exist.
func LockRelocation(ctx context.Context, tx *sqlx.Tx, id int64) (Relocation, error) {
	var r Relocation
	err := tx.GetContext(ctx, &r, `SELECT `+relocationColumns+` FROM relocations WHERE id = $1 FOR UPDATE`, id)
	return r, DBError(fmt.Sprintf("relocation: lock %d", id), err, relocationNotFound)
}

func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return InTx(ctx, s.db, fn)
}

// InTx runs fn in a transaction of db, committed when fn returns nil: one user action,
// its change and its journal entry, commit or fail together.
func InTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return DBError("begin", err, "")
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return DBError("commit", tx.Commit(), "")
}

// StaleVersion is the EPRECONDITION error of a write over an older version.
func StaleVersion(current int) error {
	return Errorf(EPRECONDITION, "Cette fiche a été modifiée entre-temps (version actuelle : %d) : relisez-la avant de la modifier.", current)
}

// slugConflict gives a duplicate-key failure on relocations its precise message: the
// slug is the only unique column.
func slugConflict(err error) error {
	if ErrorCode(err) == ECONFLICT {
		return &Error{Code: ECONFLICT, Message: "Ce slug est déjà utilisé par un autre projet.",
			Fields: []FieldError{{Field: "slug", Message: "déjà utilisé par un autre projet"}}}
	}
	return err
}
