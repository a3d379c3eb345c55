package ui

import (
	"crypto/subtle"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/proconnect"
)

// Cookies of the ProConnect round trips: the browser's secret that binds its sign-ins
// under way (see proconnect.Pending), and the state of a logout.
const (
	proconnectCookie       = "tracker_proconnect"
	proconnectLogoutCookie = "tracker_proconnect_logout"
)

// proconnectRefusal is the body of the page of a ProConnect sign-in that failed.
type proconnectRefusal struct {
	Problem string // what went wrong, in French
	Email   string // the address ProConnect gave, when no usable account has it
	Unknown bool   // no account has that address
}

// errProviderRefused is what a user is told when ProConnect sends them back with an
// error (they cancelled, or ProConnect refused).
var errProviderRefused = relocation.Errorf(relocation.EUNAUTHORIZED,
	"ProConnect n’a pas confirmé votre identité (connexion annulée ou refusée) : recommencez, ou connectez-vous avec votre mot de passe.")

// proconnectStart begins a sign-in through ProConnect: it records a new state and nonce
// bound to this browser (the secret of a short-lived HttpOnly cookie) and sends the
// browser to the provider's authorization endpoint.
func (s *Server) proconnectStart(c *fiber.Ctx) error {
	next := localPath(c.Query("next"))
	if who(c) != nil {
		return redirect(c, next)
	}
	name := s.cookieName(c, proconnectCookie)
	browser := c.Cookies(name)
	if len(browser) != 43 { // a secret of ours is 32 bytes in base64: anything else is replaced
		browser = proconnect.RandomSecret()
	}
	login, err := s.pending.Start(c.UserContext(), browser, next)
	if err != nil {
		return s.proconnectFailure(c, err)
	}
	to, err := s.proconnect.AuthURL(c.UserContext(), s.proconnectBase(c)+proconnect.CallbackPath, login.State, login.Nonce)
	if err != nil {
		return s.proconnectFailure(c, err)
	}
	c.Cookie(&fiber.Cookie{Name: name, Value: browser, Path: "/", HTTPOnly: true, Secure: s.secure(c),
		SameSite: fiber.CookieSameSiteLaxMode, MaxAge: int(proconnect.PendingLife.Seconds())}) // Lax: sent on the provider's redirect back
	return redirect(c, to)
}

// proconnectCallback is where ProConnect sends the browser back: the state must be a
// sign-in under way of this browser (taken once), the code is traded for tokens whose
// ID token and userinfo are checked, and the agent is signed in to the enabled account
// of that e-mail address, never to one made on the fly.
func (s *Server) proconnectCallback(c *fiber.Ctx) error {
	ctx := c.UserContext()
	nonceHash, next, err := s.pending.Take(ctx, c.Query("state"), c.Cookies(s.cookieName(c, proconnectCookie)))
	if err != nil {
		return s.proconnectFailure(c, err)
	}
	if e := c.Query("error"); e != "" {
		return s.proconnectFailure(c, relocation.Wrap(errProviderRefused, fmt.Errorf("proconnect: the provider answered error %q", e)))
	}
	id, err := s.proconnect.Exchange(ctx, c.Query("code"), s.proconnectBase(c)+proconnect.CallbackPath, nonceHash)
	if err != nil {
		return s.proconnectFailure(c, err)
	}
	u, err := s.accounts.UserByEmail(ctx, id.Email)
	switch code := relocation.ErrorCode(err); {
	case code == relocation.ENOTFOUND:
		s.logger(c).Info("proconnect sign-in refused", "reason", "unknown account")
		return s.proconnectRefused(c, fiber.StatusForbidden, proconnectRefusal{Email: id.Email, Unknown: true,
			Problem: "Aucun compte de l’outil n’est ouvert à l’adresse que ProConnect a donnée."})
	case code != "":
		return s.proconnectFailure(c, err)
	case u.Disabled:
		s.logger(c).Info("proconnect sign-in refused", "reason", "disabled account", "user_id", u.ID)
		return s.proconnectRefused(c, fiber.StatusForbidden, proconnectRefusal{Email: id.Email,
			Problem: "Le compte ouvert à l’adresse que ProConnect a donnée est désactivé."})
	}
	if err := s.signIn(c, u, id.IDToken, next); err != nil {
		return s.proconnectFailure(c, err)
	}
	return nil
}

// proconnectLogout returns the address of ProConnect's end_session_endpoint for the
// session of idToken, coming back to proconnectLoggedOut with a state this browser
// keeps in a short-lived cookie; false when the provider offers none.
func (s *Server) proconnectLogout(c *fiber.Ctx, idToken string) (string, bool) {
	state := proconnect.RandomSecret()
	to, ok := s.proconnect.LogoutURL(c.UserContext(), idToken, state, s.proconnectBase(c)+proconnect.LoggedOutPath)
	if !ok {
		s.logger(c).Warn("proconnect: no end_session_endpoint: the ProConnect session stays open")
		return "", false
	}
	c.Cookie(&fiber.Cookie{Name: s.cookieName(c, proconnectLogoutCookie), Value: state, Path: "/", HTTPOnly: true,
		Secure: s.secure(c), SameSite: fiber.CookieSameSiteLaxMode, MaxAge: int(proconnect.PendingLife.Seconds())})
	return to, true
}

// proconnectLoggedOut is where ProConnect sends the browser back after its logout: the
// login page, with the logged-out notice when the state is the one this browser sent.
// The tracker's session ended before the browser left.
func (s *Server) proconnectLoggedOut(c *fiber.Ctx) error {
	name := s.cookieName(c, proconnectLogoutCookie)
	want, got := c.Cookies(name), c.Query("state")
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", HTTPOnly: true, Secure: s.secure(c),
		SameSite: fiber.CookieSameSiteLaxMode, MaxAge: -1})
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		s.logger(c).Info("proconnect logout return with an unknown state")
		return redirect(c, "/login")
	}
	return s.redirectNotice(c, "/login", noticeLoggedOut)
}

// proconnectBase is the tracker's public address, from which the redirect URIs are
// made: the configured one, else this request's scheme and host.
func (s *Server) proconnectBase(c *fiber.Ctx) string {
	if b := s.proconnect.Config().BaseURL; b != "" {
		return b
	}
	return c.BaseURL()
}

// proconnectFailure answers a failed ProConnect sign-in with its French page: the
// error's status (400 for a state that is not this browser's, 401 when ProConnect's
// answer does not hold, 503 when ProConnect or the database does not answer), never
// a 500 — an unexpected failure is logged and told as unavailable.
func (s *Server) proconnectFailure(c *fiber.Ctx, err error) error {
	code := relocation.ErrorCode(err)
	status, ok := statusOf[code]
	msg := relocation.ErrorMessage(err)
	if !ok || status >= 500 {
		s.logger(c).Error("proconnect sign-in failed", "error", logText(err))
		status = fiber.StatusServiceUnavailable
		if code != relocation.EUNAVAILABLE {
			msg = "La connexion par ProConnect a échoué : réessayez dans quelques minutes, ou connectez-vous avec votre mot de passe."
		}
	} else {
		s.logger(c).Info("proconnect sign-in refused", "reason", code, "error", logText(err))
	}
	return s.proconnectRefused(c, status, proconnectRefusal{Problem: msg})
}

// proconnectRefused draws the refusal page with status.
func (s *Server) proconnectRefused(c *fiber.Ctx, status int, r proconnectRefusal) error {
	c.Status(status)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "proconnect_refused", pageData{Title: "Connexion avec ProConnect impossible", Data: r})
}
