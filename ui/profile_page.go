package ui

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/ui/account"
)

// profilePage is the body of the profile page.
type profilePage struct {
	Sessions   []account.Session
	CurrentKey string
	Tokens     []account.Token
	NewToken   string // shown once, right after its creation
}

// pageProfile shows the user's sessions and API tokens.
func (s *Server) pageProfile(c *fiber.Ctx) error {
	return s.renderProfile(c, "")
}

func (s *Server) renderProfile(c *fiber.Ctx, newToken string) error {
	p := who(c)
	sessions, err := s.accounts.Sessions(c.UserContext(), p.User.ID)
	if err != nil {
		return err
	}
	tokens, err := s.accounts.Tokens(c.UserContext(), p.User.ID)
	if err != nil {
		return err
	}
	page := profilePage{Sessions: sessions, Tokens: tokens, NewToken: newToken}
	if p.Session != nil {
		page.CurrentKey = p.Session.Key()
	}
	return s.render(c, "profile", pageData{Title: "Mon profil", Data: page})
}

// formEndSession ends one of the user's sessions (another browser, say).
func (s *Server) formEndSession(c *fiber.Ctx) error {
	if err := s.accounts.EndUserSession(c.UserContext(), who(c).User.ID, c.Params("key")); err != nil {
		return err
	}
	return s.redirectNotice(c, "/profil", noticeSessionEnded)
}

// formCreateToken creates an API token and shows its secret once, on this answer
// (it is not stored, so it cannot go through a redirect).
func (s *Server) formCreateToken(c *fiber.Ctx) error {
	secret, _, err := s.accounts.CreateToken(c.UserContext(), s.actor(c), who(c).User.ID, c.FormValue("name"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	showNotice(c, noticeTokenCreated)
	return s.renderProfile(c, secret)
}

// formRevokeToken revokes one of the user's tokens.
func (s *Server) formRevokeToken(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		id = 0
	}
	if err := s.accounts.RevokeToken(c.UserContext(), s.actor(c), who(c).User.ID, id); err != nil {
		return err
	}
	return s.redirectNotice(c, "/profil", noticeTokenRevoked)
}
