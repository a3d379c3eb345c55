package ui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/sites"
)

// apiListPartners answers a relocation's partner bodies.
func (s *Server) apiListPartners(c *fiber.Ctx) error {
	ps, err := relocationList(s, c, func(rd reader, id int64) ([]sites.Partner, error) {
		return rd.sites.Partners(c.UserContext(), id)
	})
	if err != nil {
		return err
	}
	return c.JSON(items[sites.Partner]{Items: ps})
}

// apiGetPartner answers one partner body with its ETag.
func (s *Server) apiGetPartner(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.sites.Partner(c.UserContext(), id)
	if err != nil {
		return err
	}
	setETag(c, p.Version)
	return c.JSON(p)
}

// apiCreatePartner adds a partner body to a relocation: 201 with Location.
func (s *Server) apiCreatePartner(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.sites.CreatePartner(c.UserContext(), s.actor(c), id, jsonCreate[sites.Partner, partnerInput](s, c, sites.NewPartner()))
	if err != nil {
		return err
	}
	setETag(c, p.Version)
	c.Location(fmt.Sprintf("/api/v1/partners/%d", p.ID))
	return c.Status(fiber.StatusCreated).JSON(p)
}

// apiUpdatePartner applies a partial update; If-Match is required.
func (s *Server) apiUpdatePartner(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.sites.UpdatePartner(c.UserContext(), s.actor(c), id, ifMatch(c), jsonEdit(s, c, newInput[partnerInput]))
	if err != nil {
		return err
	}
	setETag(c, p.Version)
	return c.JSON(p)
}

// apiDeletePartner deletes a partner body: 204; If-Match is required.
func (s *Server) apiDeletePartner(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.sites.DeletePartner(c.UserContext(), s.actor(c), id, ifMatch(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
