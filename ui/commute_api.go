package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/sites"
)

// apiCommute answers each site's commute figures, as stored at the last change.
func (s *Server) apiCommute(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var figures []sites.Figures
	err = s.snapshot(c, func(rd reader) error {
		if _, err := rd.rel.Relocation(c.UserContext(), id); err != nil {
			return err
		}
		figures, err = rd.sites.CommuteFigures(c.UserContext(), id)
		return err
	})
	if err != nil {
		return err
	}
	return c.JSON(items[sites.Figures]{Items: figures})
}
