package ui

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// loginPage is the body of the login page.
type loginPage struct {
	Email, Next, Problem string
}

// pageLogin shows the login form (or sends a signed-in user on).
func (s *Server) pageLogin(c *fiber.Ctx) error {
	next := localPath(c.Query("next"))
	if who(c) != nil {
		return redirect(c, next)
	}
	return s.render(c, "login", pageData{Title: "Connexion", Data: loginPage{Next: next}})
}

// formLogin checks the email and password, then opens a new session (a new id at every
// login, so a planted cookie is worthless) and goes on to the page asked for.
func (s *Server) formLogin(c *fiber.Ctx) error {
	email, next := strings.TrimSpace(c.FormValue("email")), localPath(c.FormValue("next"))
	u, err := s.accounts.Authenticate(c.UserContext(), email, c.FormValue("password"), c.IP())
	if err != nil {
		switch code := relocation.ErrorCode(err); code {
		case relocation.EUNAUTHORIZED, account.ETOOMANY:
			c.Status(statusOf[code])
		default:
			return err
		}
		s.logger(c).Info("login refused", "reason", relocation.ErrorCode(err))
		return s.render(c, "login", pageData{Title: "Connexion",
			Data: loginPage{Email: email, Next: next, Problem: relocation.ErrorMessage(err)}})
	}
	if old := c.Cookies(s.cookieName(c, sessionCookie)); old != "" {
		if err := s.accounts.EndSession(c.UserContext(), old); err != nil {
			return err
		}
	}
	secret, _, err := s.accounts.CreateSession(c.UserContext(), u.ID, c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	s.setSessionCookie(c, secret)
	s.logger(c).Info("login", "user_id", u.ID)
	return redirect(c, next)
}

// formLogout ends the session on the server, then clears the cookie.
func (s *Server) formLogout(c *fiber.Ctx) error {
	if p := who(c); p != nil && p.Session != nil {
		if err := s.accounts.EndSession(c.UserContext(), c.Cookies(s.cookieName(c, sessionCookie))); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	return s.redirectNotice(c, "/login", noticeLoggedOut)
}

// localPath keeps a redirect target on this site: a path, never another origin.
// Browsers drop tabs and newlines from URLs and read \ as /, so "/\t/evil.example"
// would leave the site: any control character or backslash gives "/".
func localPath(p string) string {
	for _, r := range p {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return u.RequestURI()
}
