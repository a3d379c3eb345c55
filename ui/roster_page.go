package ui

import (
	"errors"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// formImportRoster imports the uploaded roster file, then shows the commute page (303);
// a refused file is shown with every error and the previous roster stays.
func (s *Server) formImportRoster(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := rosterContext(c)
	defer cancel()
	_, failure := s.sites.ImportRoster(ctx, s.actor(c), id, func(rs sites.RosterSites, reach sites.Reach) ([]sites.Agent, error) {
		data, err := uploadedFile(c, "fichier")
		if err != nil {
			return nil, err
		}
		return parseRoster(data, rs, reach)
	})
	if failure == nil {
		return s.redirectNotice(c, fmt.Sprintf("/projets/%d/trajets", id), noticeRosterImported)
	}
	var f formState
	page := commutePage{}
	return s.formFailure(c, failure, &f, func() error {
		page.Problem = f.Problem
		var e *relocation.Error
		if errors.As(failure, &e) {
			page.Problem, page.Problems = e.Message, e.Fields
		}
		return commuteForm.redraw(s, c, id, page)
	})
}

// formDeleteRoster erases the roster.
func (s *Server) formDeleteRoster(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.sites.DeleteRoster(c.UserContext(), s.actor(c), id); err != nil {
		return err
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d/trajets", id), noticeRosterDeleted)
}

// uploadedFile reads the file of a multipart form field; EINVALID when there is none.
func uploadedFile(c *fiber.Ctx, field string) ([]byte, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, relocation.Invalid(relocation.FieldError{Field: field, Message: "choisissez le fichier des agents (CSV ou classeur Excel .xlsx)"})
	}
	if fh.Size > rosterBodyLimit {
		return nil, relocation.Errorf(relocation.ETOOLARGE, "%s", rosterLimit.detail)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("ui: open upload: %w", err)
	}
	defer f.Close()
	return io.ReadAll(f)
}
