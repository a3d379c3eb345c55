package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Keys of values kept on a request.
const (
	localLogger    = "logger"
	localRequestID = "request_id"
	localCSRF      = "csrf"
	localUser      = "user"
)

// contentSecurityPolicy allows only this origin's files: no inline script or style
// attribute, no framing; forms lead to this origin and to formOrigins (space-separated:
// ProConnect's, where logout redirects, when it is configured).
func contentSecurityPolicy(formOrigins string) string {
	if formOrigins != "" {
		formOrigins = " " + formOrigins
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"font-src 'self'; connect-src 'self'; form-action 'self'" + formOrigins +
		"; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
}

// validRequestID is what an incoming X-Request-ID must look like to be kept.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID gives every request an id (the caller's X-Request-ID when sane), echoed in
// the response and carried by every log line of the request.
func (s *Server) requestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !validRequestID.MatchString(id) {
		id = randomToken(8)
	}
	c.Set(fiber.HeaderXRequestID, id)
	c.Locals(localRequestID, id)
	c.Locals(localLogger, s.log.With("request_id", id))
	return c.Next()
}

// accessLog writes one line per request: method, route, status, duration. No query
// string, body or cookie is logged (they may carry personal data or secrets).
func (s *Server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}
	s.logger(c).Info("request", "method", c.Method(), "path", c.Path(), "status", c.Response().StatusCode(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000, "bytes", len(c.Response().Body()))
	return nil
}

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	s.setSecurityHeaders(c)
	return c.Next()
}

func (s *Server) setSecurityHeaders(c *fiber.Ctx) {
	c.Set("Content-Security-Policy", s.csp)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.secure(c) {
		c.Set(fiber.HeaderStrictTransportSecurity, "max-age=63072000; includeSubDomains")
	}
}

// timeout gives each request's context a deadline; queries use it, so a slow database
// cannot hold a request forever.
func (s *Server) timeout(c *fiber.Ctx) error { return s.nextWithin(c, c.UserContext()) }

// nextWithin runs the next handlers with a context derived from parent that ends after
// Config.RequestTimeout: the one place the request timeout is applied (a cut query
// answers 503, see relocation.DBError).
func (s *Server) nextWithin(c *fiber.Ctx, parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, s.cfg.RequestTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

// randomToken returns n random bytes, hex-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}
