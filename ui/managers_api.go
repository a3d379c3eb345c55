package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// managersJSON is the body of GET and PUT /relocations/{id}/managers.
type managersJSON struct {
	Emails []string `json:"emails"`
}

// setManagersTag sends the entity tag of a list of managers (which has no version).
func setManagersTag(c *fiber.Ctx, emails []string) {
	c.Set(fiber.HeaderETag, `"`+relocation.ManagersTag(emails)+`"`)
}

// apiGetManagers answers the managers assigned to a relocation.
func (s *Server) apiGetManagers(c *fiber.Ctx) error {
	emails, err := relocationList(s, c, func(rd reader, id int64) ([]string, error) {
		return rd.rel.ManagerEmails(c.UserContext(), id)
	})
	if err != nil {
		return err
	}
	setManagersTag(c, emails)
	return c.JSON(managersJSON{Emails: emails})
}

// apiSetManagers replaces the managers of a relocation (administrators only).
func (s *Server) apiSetManagers(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	emails, err := s.store.SetManagers(c.UserContext(), s.actor(c), id, ifMatch(c), func() ([]string, error) {
		var in managersJSON
		if err := decodeJSON(c, &in); err != nil {
			return nil, err
		}
		if in.Emails == nil {
			return nil, relocation.Invalid(relocation.FieldError{Field: "emails", Message: "champ obligatoire : la liste des adresses, vide pour n’attribuer personne"})
		}
		return in.Emails, nil
	})
	if err != nil {
		return err
	}
	setManagersTag(c, emails)
	return c.JSON(managersJSON{Emails: emails})
}
