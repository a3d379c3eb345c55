package ui

import (
	"crypto/subtle"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// sessionCookie holds the secret of a browser session.
const sessionCookie = "tracker_session"

// principal is who makes a request: an account, by session cookie or by API token.
type principal struct {
	User    account.User
	Session *account.Session // nil for a token
}

// who returns the request's principal, or nil for an anonymous visitor.
func who(c *fiber.Ctx) *principal {
	p, _ := c.Locals(localUser).(*principal)
	return p
}

// authenticate finds who makes the request: an `Authorization: Bearer` token (refused
// with 401 when unknown or revoked), or else a session cookie (ignored, and cleared,
// when expired). Without either the request goes on anonymous.
func (s *Server) authenticate(c *fiber.Ctx) error {
	// Tokens are for the API alone: a page or a form accepts the browser session only, so
	// that a stolen token cannot mint tokens or end the owner's sessions.
	if h := c.Get(fiber.HeaderAuthorization); h != "" && strings.HasPrefix(c.Path(), "/api/") {
		scheme, secret, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
			return relocation.Errorf(relocation.EUNAUTHORIZED, "En-tête Authorization invalide : « Bearer <jeton> » attendu.")
		}
		u, err := s.accounts.UserByToken(c.UserContext(), strings.TrimSpace(secret))
		if err != nil {
			return err
		}
		c.Locals(localUser, &principal{User: u})
		c.Set(fiber.HeaderCacheControl, "no-store") // an account's answers are never stored
		return c.Next()
	}
	if secret := c.Cookies(s.cookieName(c, sessionCookie)); secret != "" {
		sess, u, err := s.accounts.Session(c.UserContext(), secret)
		switch relocation.ErrorCode(err) {
		case "":
			c.Locals(localUser, &principal{User: u, Session: &sess})
			c.Set(fiber.HeaderCacheControl, "no-store") // an account's answers are never stored
		case relocation.EUNAUTHORIZED:
			s.clearSessionCookie(c)
		default:
			return err
		}
	}
	return c.Next()
}

// sessionCSRF refuses an unsafe request made with a session cookie unless it carries
// the session's CSRF token (form field _csrf, or the X-CSRF-Token header for scripts).
// Token requests need none: a browser never adds a Bearer header on its own.
func (s *Server) sessionCSRF(c *fiber.Ctx) error {
	p := who(c)
	if isSafe(c.Method()) || p == nil || p.Session == nil || c.Path() == "/login" {
		return c.Next() // the login form has its own token (loginCSRF)
	}
	sent := c.Get(csrfHeader)
	if sent == "" {
		sent = bodyValue(c, csrfField)
	}
	if subtle.ConstantTimeCompare([]byte(sent), []byte(p.Session.CSRFToken)) != 1 {
		return relocation.Errorf(relocation.EFORBIDDEN, "Le jeton de sécurité du formulaire est absent ou périmé : rechargez la page et recommencez.")
	}
	return c.Next()
}

// requireUser lets only signed-in accounts through: the API answers 401, pages send
// the visitor to the login page and back.
func (s *Server) requireUser(c *fiber.Ctx) error {
	if who(c) != nil {
		return c.Next()
	}
	if strings.HasPrefix(c.Path(), "/api/") {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="tracker"`)
		return relocation.Errorf(relocation.EUNAUTHORIZED, "Authentification requise : jeton d’API (Authorization: Bearer) ou session.")
	}
	next := c.OriginalURL()
	if !isSafe(c.Method()) {
		next = "/"
	}
	return redirect(c, "/login?next="+url.QueryEscape(next))
}

// requireAdmin lets only administrators through.
func (s *Server) requireAdmin(c *fiber.Ctx) error {
	if p := who(c); p == nil || !p.User.IsAdmin() {
		return forbidden("Réservé aux administrateurs.")
	}
	return c.Next()
}

// mayWrite says whether the request's account may change relocation id and what
// belongs to it, to decide what a page offers (forms, buttons). The actions check again,
// inside their transaction: this is never what protects a write.
func (s *Server) mayWrite(c *fiber.Ctx, relocationID int64) error {
	if who(c) == nil {
		return relocation.Errorf(relocation.EUNAUTHORIZED, "Authentification requise.")
	}
	return relocation.MayWrite(c.UserContext(), s.db, s.actor(c), relocationID)
}

// mayCreateRelocation says whether the account, as read for this request, may open a
// new relocation, to decide what a page offers (see mayWrite).
func (s *Server) mayCreateRelocation(c *fiber.Ctx) error {
	p := who(c)
	if p == nil {
		return relocation.Errorf(relocation.EUNAUTHORIZED, "Authentification requise.")
	}
	return relocation.MayCreate(p.User.Role)
}

// actor returns who makes the request's changes, as the journal records them.
func (s *Server) actor(c *fiber.Ctx) relocation.Actor {
	if p := who(c); p != nil {
		return p.User.Actor()
	}
	return relocation.Actor{Name: "anonyme"}
}

func forbidden(msg string) error { return relocation.Errorf(relocation.EFORBIDDEN, "%s", msg) }

func isSafe(method string) bool {
	return method == fiber.MethodGet || method == fiber.MethodHead || method == fiber.MethodOptions
}

// setSessionCookie gives the browser its session secret.
func (s *Server) setSessionCookie(c *fiber.Ctx, secret string) {
	c.Cookie(&fiber.Cookie{Name: s.cookieName(c, sessionCookie), Value: secret, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c), SessionOnly: true})
}

func (s *Server) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: s.cookieName(c, sessionCookie), Value: "", Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c), MaxAge: -1})
}

// secure reports whether the request came over HTTPS (directly, or through a trusted
// proxy) or the configuration says the site is served so.
func (s *Server) secure(c *fiber.Ctx) bool {
	return s.cfg.SecureCookies || c.Protocol() == "https"
}

// writableRelocation loads the relocation of :id, provided the user may change it.
func (s *Server) writableRelocation(c *fiber.Ctx) (relocation.Relocation, error) {
	r, err := s.relocationParam(c)
	if err != nil {
		return r, err
	}
	return r, s.mayWrite(c, r.ID)
}

// canWrite is mayWrite as a yes or no for drawing buttons; only a failure to check
// is an error.
func (s *Server) canWrite(c *fiber.Ctx, relocationID int64) (bool, error) {
	switch err := s.mayWrite(c, relocationID); relocation.ErrorCode(err) {
	case "":
		return true, nil
	case relocation.EFORBIDDEN, relocation.EUNAUTHORIZED:
		return false, nil
	default:
		return false, err
	}
}
