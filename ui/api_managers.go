package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// managersJSON is the body of GET and PUT /relocations/{id}/managers.
type managersJSON struct {
	Emails []string `json:"emails"`
}

func emailsOf(us []account.User) managersJSON {
	out := managersJSON{Emails: make([]string, len(us))}
	for i, u := range us {
		out.Emails[i] = u.Email
	}
	return out
}

// etag versions a list of managers (which has no version of its own) by its content.
func (m managersJSON) etag() string {
	sum := sha256.Sum256([]byte(strings.Join(m.Emails, "\n")))
	return `"m-` + hex.EncodeToString(sum[:8]) + `"`
}

// apiGetManagers answers the managers assigned to a relocation.
func (s *Server) apiGetManagers(c *fiber.Ctx) error {
	r, err := s.relocationParam(c)
	if err != nil {
		return err
	}
	us, err := s.accounts.Managers(c.UserContext(), r.ID)
	if err != nil {
		return err
	}
	out := emailsOf(us)
	c.Set(fiber.HeaderETag, out.etag())
	return c.JSON(out)
}

// apiSetManagers replaces the managers of a relocation (administrators only).
func (s *Server) apiSetManagers(c *fiber.Ctx) error {
	r, err := s.relocationParam(c)
	if err != nil {
		return err
	}
	var in managersJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Emails == nil {
		return relocation.Invalid(relocation.FieldError{Field: "emails", Message: "champ obligatoire : la liste des adresses, vide pour n’attribuer personne"})
	}
	var check func([]string) error
	if h := strings.TrimSpace(c.Get(fiber.HeaderIfMatch)); h != "" && h != "*" {
		check = func(current []string) error {
			if h != (managersJSON{Emails: current}).etag() {
				return relocation.Errorf(relocation.EPRECONDITION, "La liste des responsables a été modifiée entre-temps : relisez-la avant de la changer.")
			}
			return nil
		}
	}
	us, err := s.accounts.SetManagers(c.UserContext(), s.actor(c), r.ID, in.Emails, check)
	if err != nil {
		return err
	}
	out := emailsOf(us)
	c.Set(fiber.HeaderETag, out.etag())
	return c.JSON(out)
}

// formSetManagers replaces the managers from the checkboxes of the relocation page.
func (s *Server) formSetManagers(c *fiber.Ctx) error {
	r, err := s.relocationParam(c)
	if err != nil {
		return err
	}
	var emails []string
	for _, v := range c.Context().PostArgs().PeekMulti("emails") {
		emails = append(emails, string(v))
	}
	if _, err := s.accounts.SetManagers(c.UserContext(), s.actor(c), r.ID, emails, nil); err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/projets/%d#responsables", r.ID))
}
