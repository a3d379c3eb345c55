package ui

import (
	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// reader is the stores reading over one snapshot: what a page or an answer that
// combines several tables reads, so that it shows one state of the database.
type reader struct {
	q        sqlx.QueryerContext // the snapshot itself, for reads of no store (people's names)
	rel      *relocation.Store
	sites    *sites.Store
	criteria *criteria.Store
}

// snapshot runs fn with stores reading over one read-only REPEATABLE READ transaction.
func (s *Server) snapshot(c *fiber.Ctx, fn func(rd reader) error) error {
	return relocation.Snapshot(c.UserContext(), s.db, func(q sqlx.QueryerContext) error {
		return fn(reader{q: q, rel: s.store.In(q), sites: s.sites.In(q), criteria: s.criteria.In(q)})
	})
}

// gridOf reads relocation id and its grid in one snapshot.
func (s *Server) gridOf(c *fiber.Ctx, id int64) (criteria.Grid, error) {
	_, g, err := relocationAnd(s, c, id, func(rd reader, r relocation.Relocation) (criteria.Grid, error) {
		return rd.criteria.Grid(c.UserContext(), r)
	})
	return g, err
}

// fromGrid returns what answer makes of relocation id's grid, read in one snapshot when
// called: the compute of a kept answer (keptJSON).
func (s *Server) fromGrid(c *fiber.Ctx, id int64, answer func(criteria.Grid) (any, error)) func() (any, error) {
	return func() (any, error) {
		g, err := s.gridOf(c, id)
		if err != nil {
			return nil, err
		}
		return answer(g)
	}
}

// relocationAnd reads relocation id and what more reads of it (its criteria, its
// milestones, its grid…) in one snapshot.
func relocationAnd[T any](s *Server, c *fiber.Ctx, id int64, more func(rd reader, r relocation.Relocation) (T, error)) (relocation.Relocation, T, error) {
	var r relocation.Relocation
	var v T
	err := s.snapshot(c, func(rd reader) error {
		var err error
		if r, err = rd.rel.Relocation(c.UserContext(), id); err != nil {
			return err
		}
		v, err = more(rd, r)
		return err
	})
	return r, v, err
}

// relocationList reads what list reads of the relocation of :id, after the relocation
// itself (ENOTFOUND for an unknown one), in one snapshot: the API's lists.
func relocationList[T any](s *Server, c *fiber.Ctx, list func(rd reader, id int64) ([]T, error)) ([]T, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	_, v, err := relocationAnd(s, c, id, func(rd reader, r relocation.Relocation) ([]T, error) {
		return list(rd, r.ID)
	})
	return v, err
}

// relocationCriteria reads relocation id and its criteria in one snapshot.
func (s *Server) relocationCriteria(c *fiber.Ctx, id int64) (relocation.Relocation, []criteria.Criterion, error) {
	return relocationAnd(s, c, id, func(rd reader, _ relocation.Relocation) ([]criteria.Criterion, error) {
		return rd.criteria.Criteria(c.UserContext(), id)
	})
}

// relocationMilestones reads relocation id and its milestones in planned order in one
// snapshot.
func (s *Server) relocationMilestones(c *fiber.Ctx, id int64) (relocation.Relocation, []relocation.Milestone, error) {
	return relocationAnd(s, c, id, func(rd reader, _ relocation.Relocation) ([]relocation.Milestone, error) {
		return rd.rel.Milestones(c.UserContext(), id)
	})
}
