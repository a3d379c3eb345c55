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
	var g criteria.Grid
	err := s.snapshot(c, func(rd reader) error {
		r, err := rd.rel.Relocation(c.UserContext(), id)
		if err != nil {
			return err
		}
		g, err = rd.criteria.Grid(c.UserContext(), r)
		return err
	})
	return g, err
}

// relocationCriteria reads relocation id and its criteria in one snapshot.
func (s *Server) relocationCriteria(c *fiber.Ctx, id int64) (relocation.Relocation, []criteria.Criterion, error) {
	var r relocation.Relocation
	var cs []criteria.Criterion
	err := s.snapshot(c, func(rd reader) error {
		var err error
		if r, err = rd.rel.Relocation(c.UserContext(), id); err != nil {
			return err
		}
		cs, err = rd.criteria.Criteria(c.UserContext(), id)
		return err
	})
	return r, cs, err
}
