package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// passwordPage is the body of the own-password form. Typed passwords are never drawn
// again: a refused form comes back empty, with the message of each field.
type passwordPage struct {
	Form formState
}

// pagePassword shows the form that changes one's own password.
func (s *Server) pagePassword(c *fiber.Ctx) error {
	return s.renderPassword(c, formState{})
}

func (s *Server) renderPassword(c *fiber.Ctx, f formState) error {
	return s.render(c, "password", pageData{Title: "Changer mon mot de passe", Data: passwordPage{Form: f}})
}

// formPassword changes the signed-in user's password: the current one (checked under
// the login throttling), the new one twice. The account's other sessions end; this one
// goes on to the profile with a notice.
func (s *Server) formPassword(c *fiber.Ctx) error {
	p := who(c)
	var keep []byte
	if p.Session != nil {
		keep = p.Session.IDHash
	}
	ch := account.PasswordChange{Current: c.FormValue(account.FieldCurrentPassword),
		New: c.FormValue(account.FieldNewPassword), Confirm: c.FormValue(account.FieldConfirmPassword)}
	if err := s.accounts.ChangePassword(c.UserContext(), p.User, keep, ch, clientIP(c)); err != nil {
		f := formState{}
		if code := relocation.ErrorCode(err); code == account.ETOOMANY {
			s.logger(c).Info("password change refused", "reason", code)
			c.Status(statusOf[code])
			f.Problem = relocation.ErrorMessage(err)
			return s.renderPassword(c, f)
		}
		return s.formFailure(c, err, &f, func() error { return s.renderPassword(c, f) })
	}
	s.logger(c).Info("password changed", "user_id", p.User.ID)
	return s.redirectNotice(c, "/profil", noticePasswordChanged)
}
