package ui

import (
	"crypto/subtle"

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
// double-submit token bound to a secret: the cookie holds a random nonce (HttpOnly,
// SameSite=Lax) and the form repeats the nonce's HMAC under a key all instances share in
// PostgreSQL. A cross-site form can neither read the cookie nor, having planted a cookie
// of its own, compute the matching token, so it cannot sign a victim into the attacker's
// account. Once signed in, forms carry the session's token instead (sessionCSRF).
func (s *Server) loginCSRF(c *fiber.Ctx) error {
	name := s.cookieName(c, csrfCookie)
	nonce := c.Cookies(name)
	if len(nonce) != 64 {
		nonce = ""
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		if nonce == "" {
			nonce = randomToken(32)
			c.Cookie(&fiber.Cookie{Name: name, Value: nonce, Path: "/", HTTPOnly: true,
				SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c), Expires: s.now().Add(loginCSRFLifetime)})
		}
		token, err := s.loginKey.mac(c.UserContext(), nonce)
		if err != nil {
			return err
		}
		c.Locals(localCSRF, token)
		return c.Next()
	}
	sent := bodyValue(c, csrfField)
	if sent == "" {
		sent = c.Get(csrfHeader)
	}
	want := ""
	if nonce != "" {
		var err error
		if want, err = s.loginKey.mac(c.UserContext(), nonce); err != nil {
			return err
		}
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
		return relocation.Errorf(relocation.EFORBIDDEN, "Le jeton de sécurité du formulaire est absent ou périmé : rechargez la page et recommencez.")
	}
	c.Locals(localCSRF, want)
	return c.Next()
}

// cookieName is a cookie's name as served: with the __Host- prefix over HTTPS, which
// browsers only accept from this host, for the whole site, Secure (no subdomain or
// plain-HTTP page can plant it).
func (s *Server) cookieName(c *fiber.Ctx, name string) string {
	if s.secure(c) {
		return "__Host-" + name
	}
	return name
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
