package ui

import (
	"context"
	"mime"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// apiImportRoster replaces a relocation's roster by the CSV or .xlsx body (all or nothing) and
// answers {"imported": n}; a bad file is refused with every error by line and column.
func (s *Server) apiImportRoster(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := rosterContext(c)
	defer cancel()
	n, err := s.sites.ImportRoster(ctx, s.actor(c), id, func(rs sites.RosterSites, reach sites.Reach) ([]sites.Agent, error) {
		if mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType)); err != nil || mt != "text/csv" && mt != xlsxType {
			return nil, relocation.Errorf(relocation.EMEDIATYPE, "Le fichier des agents s’envoie en CSV (Content-Type: text/csv) ou en classeur Excel (Content-Type: %s).", xlsxType)
		}
		return parseRoster(c.Body(), rs, reach)
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

// rosterImportTimeout is the deadline of a roster's import, once its body is read: 100,000
// agents take a second or two on a quiet server (README), far more on a busy one, and
// SPEC promises that an import within the limits never times out.
const rosterImportTimeout = 2 * time.Minute

// rosterContext is the request's context with the deadline of a roster's import.
func rosterContext(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(c.UserContext()), rosterImportTimeout)
}

// xlsxType is the media type of an Excel workbook (.xlsx).
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// parseRoster reads a roster file (CSV or .xlsx), or refuses it with every error (413
// past the agents a roster may hold).
func parseRoster(data []byte, rs sites.RosterSites, reach sites.Reach) ([]sites.Agent, error) {
	agents, errs := sites.ParseRosterWithin(data, rs, reach)
	if sites.TooLarge(errs) {
		return nil, relocation.Errorf(relocation.ETOOLARGE, "%s", errs[0].Message)
	}
	if len(errs) > 0 {
		return nil, sites.RosterRefused(errs)
	}
	return agents, nil
}
