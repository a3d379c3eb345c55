package ui

import (
	"crypto/subtle"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// csrfCookie holds the browser's CSRF token; forms send it back in the csrfField.
const (
	csrfCookie = "tracker_csrf"
	csrfField  = "_csrf"
	csrfHeader = "X-CSRF-Token"
)

// loginCSRF guards the login form, which comes before any session, with a
// double-submit token: a random value in an HttpOnly, SameSite=Lax cookie that the form
// repeats in a hidden field. A cross-site form cannot read the cookie, so it cannot
// repeat it, and any instance can check it. Once signed in, forms carry the session's
// token instead (sessionCSRF).
func (s *Server) loginCSRF(c *fiber.Ctx) error {
	token := c.Cookies(csrfCookie)
	if len(token) != 64 {
		token = ""
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		if token == "" {
			token = randomToken(32)
			c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: token, Path: "/", HTTPOnly: true,
				SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c), Expires: s.now().Add(12 * time.Hour)})
		}
		c.Locals(localCSRF, token)
		return c.Next()
	}
	sent := bodyValue(c, csrfField)
	if sent == "" {
		sent = c.Get(csrfHeader)
	}
	if token == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
		return relocation.Errorf(relocation.EFORBIDDEN, "Le jeton de sécurité du formulaire est absent ou périmé : rechargez la page et recommencez.")
	}
	c.Locals(localCSRF, token)
	return c.Next()
}

// bodyValue reads a field of the submitted form's body (URL-encoded or multipart), never
// of the query string: a CSRF token in a URL leaks through logs and Referer headers.
func bodyValue(c *fiber.Ctx, name string) string {
	if v := c.Request().PostArgs().Peek(name); v != nil {
		return string(v)
	}
	if form, err := c.MultipartForm(); err == nil {
		if vs := form.Value[name]; len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}
