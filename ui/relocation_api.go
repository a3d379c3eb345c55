package ui

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// apiListRelocations answers every relocation.
func (s *Server) apiListRelocations(c *fiber.Ctx) error {
	changes, err := s.store.ChangeCount(c.UserContext())
	if err != nil {
		return err
	}
	return s.keptJSON(c, drawnKey{Page: "api:relocations"}, strconv.FormatInt(changes, 10), func() (any, error) {
		rs, err := s.store.Relocations(c.UserContext())
		out := items[relocationJSON]{Items: make([]relocationJSON, len(rs))}
		for i, r := range rs {
			out.Items[i] = toRelocationJSON(r)
		}
		return out, err
	})
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
	r, err := s.store.CreateRelocation(c.UserContext(), s.actor(c),
		jsonCreate[relocation.Relocation, relocationInput](s, c, relocation.NewRelocation()))
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
	r, err := s.store.UpdateRelocation(c.UserContext(), s.actor(c), id, ifMatch(c), jsonEdit(s, c, newInput[relocationInput]))
	if err != nil {
		return err
	}
	setETag(c, r.Version)
	return c.JSON(toRelocationJSON(r))
}

// apiJournal answers a relocation's journal, newest first (?limit=, ?offset=).
func (s *Server) apiJournal(c *fiber.Ctx) error {
	entries, err := relocationList(s, c, func(rd reader, id int64) ([]relocation.Entry, error) {
		limit, okLimit := queryInt(c, "limit", 100)
		offset, okOffset := queryInt(c, "offset", 0)
		if !okLimit || !okOffset || limit < 1 || limit > 500 || offset < 0 {
			return nil, relocation.Invalid(relocation.FieldError{Field: "limit", Message: "limit entre 1 et 500, offset positif"})
		}
		return rd.rel.Journal(c.UserContext(), id, limit, offset)
	})
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []relocation.Entry{}
	}
	return c.JSON(items[relocation.Entry]{Items: entries})
}
