package ui

import (
	"context"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// apiListRelocations answers every relocation.
func (s *Server) apiListRelocations(c *fiber.Ctx) error {
	rs, err := s.store.Relocations(c.UserContext())
	if err != nil {
		return err
	}
	out := items[relocationJSON]{Items: make([]relocationJSON, len(rs))}
	for i, r := range rs {
		out.Items[i] = toRelocationJSON(r)
	}
	return c.JSON(out)
}

// apiGetRelocation answers one relocation with its ETag.
func (s *Server) apiGetRelocation(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.store.Relocation(c.UserContext(), id)
	if err != nil {
		return err
	}
	setETag(c, r.Version)
	return c.JSON(toRelocationJSON(r))
}

// apiCreateRelocation creates a relocation: 201 with Location.
func (s *Server) apiCreateRelocation(c *fiber.Ctx) error {
	if err := s.mayCreateRelocation(c); err != nil {
		return err
	}
	var in relocationInput
	if err := s.decodeValid(c, &in); err != nil {
		return err
	}
	r, err := s.createRelocation(c, in.apply(relocation.NewRelocation()))
	if err != nil {
		return err
	}
	setETag(c, r.Version)
	c.Location(fmt.Sprintf("/api/v1/relocations/%d", r.ID))
	return c.Status(fiber.StatusCreated).JSON(toRelocationJSON(r))
}

// apiUpdateRelocation applies a partial update; If-Match is required.
func (s *Server) apiUpdateRelocation(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cur, err := s.store.Relocation(c.UserContext(), id)
	if err != nil {
		return err
	}
	in := newRelocationInput(cur)
	version, err := s.readyToChange(c, id, cur.Version, &in)
	if err != nil {
		return err
	}
	r, err := s.store.UpdateRelocation(c.UserContext(), s.actor(c), id, version, in.apply(cur))
	if err != nil {
		return err
	}
	setETag(c, r.Version)
	return c.JSON(toRelocationJSON(r))
}

// apiJournal answers a relocation's journal, newest first (?limit=, ?offset=).
func (s *Server) apiJournal(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.store.Relocation(c.UserContext(), id); err != nil {
		return err
	}
	limit, offset := c.QueryInt("limit", 100), c.QueryInt("offset", 0)
	if limit < 1 || limit > 500 || offset < 0 {
		return relocation.Invalid(relocation.FieldError{Field: "limit", Message: "limit entre 1 et 500, offset positif"})
	}
	entries, err := s.store.Journal(c.UserContext(), id, limit, offset)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []relocation.Entry{}
	}
	return c.JSON(items[relocation.Entry]{Items: entries})
}

// createRelocation stores a new relocation with the default criteria grid; a manager
// who creates one is assigned to it. All in one transaction.
func (s *Server) createRelocation(c *fiber.Ctx, r relocation.Relocation) (relocation.Relocation, error) {
	by := s.actor(c)
	return s.store.CreateRelocationThen(c.UserContext(), by, r, func(ctx context.Context, tx *sqlx.Tx, created relocation.Relocation) error {
		if err := criteria.InsertDefaults(ctx, tx, by, created.ID); err != nil {
			return err
		}
		if p := who(c); p != nil && p.User.Role == account.RoleManager {
			return account.AssignCreator(ctx, tx, created.ID, p.User.ID)
		}
		return nil
	})
}
