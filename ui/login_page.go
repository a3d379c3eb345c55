package ui

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
	"github.com/ministere/tracker/ui/proconnect"
)

// loginPage is the body of the login page.
type loginPage struct {
	Email, Next, Problem string
	ProConnect           bool // offer « S’identifier avec ProConnect »
}

// ProConnectHref is the address of the ProConnect button: the sign-in's start, with the
// page to go to afterwards.
func (p loginPage) ProConnectHref() string {
	if p.Next == "" || p.Next == "/" {
		return proconnect.StartPath
	}
	return proconnect.StartPath + "?next=" + url.QueryEscape(p.Next)
}

// pageLogin shows the login form (or sends a signed-in user on).
func (s *Server) pageLogin(c *fiber.Ctx) error {
	next := localPath(c.Query("next"))
	if who(c) != nil {
		return redirect(c, next)
	}
	return s.render(c, "login", pageData{Title: "Connexion", Data: loginPage{Next: next, ProConnect: s.proconnect != nil}})
}

// formLogin checks the email and password, then opens a new session (a new id at every
// login, so a planted cookie is worthless) and goes on to the page asked for.
func (s *Server) formLogin(c *fiber.Ctx) error {
	email, next := strings.TrimSpace(c.FormValue("email")), localPath(c.FormValue("next"))
	u, err := s.accounts.Authenticate(c.UserContext(), email, c.FormValue("password"), clientIP(c))
	if err != nil {
		switch code := relocation.ErrorCode(err); code {
		case relocation.EUNAUTHORIZED, account.ETOOMANY:
			c.Status(statusOf[code])
		default:
			return err
		}
		s.logger(c).Info("login refused", "reason", relocation.ErrorCode(err))
		return s.render(c, "login", pageData{Title: "Connexion",
			Data: loginPage{Email: email, Next: next, Problem: relocation.ErrorMessage(err), ProConnect: s.proconnect != nil}})
	}
	return s.signIn(c, u, "", next)
}

// signIn opens a new session for u, whoever vouched for them (a password, or
// ProConnect whose ID token is idToken): the browser's former session ends and a new id
// is made at every login, so a planted cookie is worthless. Then it goes on to next.
func (s *Server) signIn(c *fiber.Ctx, u account.User, idToken, next string) error {
	if old := c.Cookies(s.cookieName(c, sessionCookie)); old != "" {
		if _, err := s.accounts.EndSession(c.UserContext(), old); err != nil {
			return err
		}
	}
	var secret string
	var err error
	if idToken == "" {
		secret, _, err = s.accounts.CreateSession(c.UserContext(), u.ID, c.Get(fiber.HeaderUserAgent))
	} else {
		secret, _, err = s.accounts.CreateProConnectSession(c.UserContext(), u.ID, c.Get(fiber.HeaderUserAgent), idToken)
	}
	if err != nil {
		return err
	}
	s.setSessionCookie(c, secret)
	s.logger(c).Info("login", "user_id", u.ID, "proconnect", idToken != "")
	return redirect(c, next)
}

// formLogout ends the session on the server, then clears the cookie. A session opened
// through ProConnect goes on to ProConnect's end_session_endpoint, which ends the
// ProConnect session too and comes back to proconnectLoggedOut.
func (s *Server) formLogout(c *fiber.Ctx) error {
	var idToken string
	if p := who(c); p != nil && p.Session != nil {
		var err error
		if idToken, err = s.accounts.EndSession(c.UserContext(), c.Cookies(s.cookieName(c, sessionCookie))); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	if idToken != "" && s.proconnect != nil {
		if to, ok := s.proconnectLogout(c, idToken); ok {
			return redirect(c, to)
		}
	}
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
