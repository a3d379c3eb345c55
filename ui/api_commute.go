package ui

import (
	"mime"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// apiImportRoster replaces a relocation's roster by the CSV body (all or nothing) and
// answers {"imported": n}; a bad file is refused with every error by line and column.
func (s *Server) apiImportRoster(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	n, err := s.sites.ImportRoster(c.UserContext(), s.actor(c), id, func(siteIDs map[int64]bool, reach sites.Reach) ([]sites.Agent, error) {
		if mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType)); err != nil || mt != "text/csv" {
			return nil, relocation.Errorf(relocation.EMEDIATYPE, "Le fichier des agents s’envoie en CSV (Content-Type: text/csv).")
		}
		return parseRoster(c.Body(), siteIDs, reach)
	})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"imported": n})
}

// apiDeleteRoster erases a relocation's roster: 204.
func (s *Server) apiDeleteRoster(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.sites.DeleteRoster(c.UserContext(), s.actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// parseRoster reads a roster file, or refuses it with every error.
func parseRoster(data []byte, siteIDs map[int64]bool, reach sites.Reach) ([]sites.Agent, error) {
	agents, errs := sites.ParseRosterWithin(data, siteIDs, reach)
	if len(errs) > 0 {
		return nil, sites.RosterRefused(errs)
	}
	return agents, nil
}

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
