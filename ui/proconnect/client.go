// Package proconnect signs State agents in through ProConnect, the interministerial
// federation of identity (OpenID Connect, authorization code flow): discovery, the
// authorization request, the code exchange, the ID token and userinfo checks, and
// logout through the provider's end_session_endpoint. It keeps no state in memory but
// the provider's discovered metadata: sign-ins under way live in PostgreSQL (Pending).
package proconnect

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/ministere/tracker/relocation"
)

// Paths of the tracker that the provider redirects to: register BaseURL + CallbackPath
// as redirect URI and BaseURL + LoggedOutPath as post-logout redirect URI.
const (
	StartPath     = "/login/proconnect"
	CallbackPath  = "/login/proconnect/callback"
	LoggedOutPath = "/logout/proconnect"
)

// Scopes are what the tracker asks ProConnect for: the agent's e-mail address, by
// which the account is found, and nothing else.
var Scopes = []string{oidc.ScopeOpenID, "email"}

// discoveryRetry is how long a failed discovery is remembered before a request tries
// again (a provider that is down is not asked at every click).
const discoveryRetry = 5 * time.Second

// Config is how the tracker is registered with ProConnect.
type Config struct {
	Issuer       string // PROCONNECT_ISSUER, e.g. https://auth.agentconnect.gouv.fr/api/v2
	ClientID     string // PROCONNECT_CLIENT_ID
	ClientSecret string // PROCONNECT_CLIENT_SECRET
	// BaseURL is the tracker's public address (PROCONNECT_BASE_URL, e.g.
	// https://demenagements.exemple.gouv.fr), from which the redirect URIs are made;
	// empty: taken from each request's scheme and host.
	BaseURL string
}

// Enabled reports whether ProConnect is configured: issuer, client id and secret set.
func (c Config) Enabled() bool { return c.Issuer != "" && c.ClientID != "" && c.ClientSecret != "" }

// Origin returns the scheme and host of the issuer ("" when it is no URL): the pages'
// Content-Security-Policy lets forms lead there (logout redirects to the provider).
func (c Config) Origin() string {
	u, err := url.Parse(c.Issuer)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// Client talks to the provider. Build it with New; it is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
	now  func() time.Time
	log  *slog.Logger

	mu       sync.Mutex
	found    *provider // nil until a discovery succeeds
	failedAt time.Time // of the last failed discovery
}

// provider is what discovery taught: the endpoints, the keys' address, the verifier.
type provider struct {
	oidc       *oidc.Provider
	verifier   *oidc.IDTokenVerifier
	endSession string // "" when the provider has none on its own origin
}

// New returns a client for cfg with the clock now, and tries discovery at once: a
// provider that does not answer is logged, not fatal, and asked again on first use.
// httpClient nil uses one with a 10-second timeout.
func New(ctx context.Context, cfg Config, httpClient *http.Client, log *slog.Logger, now func() time.Time) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 10 * time.Second}
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	c := &Client{cfg: cfg, http: httpClient, now: now, log: log}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := c.provider(ctx); err != nil {
		log.Warn("proconnect: discovery failed at start, retried on first use", "issuer", cfg.Issuer, "error", err.Error())
		c.failedAt = time.Time{} // the first sign-in asks again at once
	} else {
		log.Info("proconnect: discovered", "issuer", cfg.Issuer)
	}
	return c
}

// Config returns the client's configuration.
func (c *Client) Config() Config { return c.cfg }

// errUnavailable is what a user is told when the provider cannot be reached.
var errUnavailable = relocation.Errorf(relocation.EUNAVAILABLE,
	"ProConnect ne répond pas pour le moment : réessayez dans quelques minutes, ou connectez-vous avec votre mot de passe.")

// provider returns the discovered provider, discovering it when no discovery has
// succeeded yet (at most once every discoveryRetry). EUNAVAILABLE when it fails.
func (c *Client) provider(ctx context.Context) (*provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.found != nil {
		return c.found, nil
	}
	if !c.failedAt.IsZero() && time.Since(c.failedAt) < discoveryRetry {
		return nil, relocation.Wrap(errUnavailable, fmt.Errorf("proconnect: discovery failed %s ago", time.Since(c.failedAt).Round(time.Second)))
	}
	p, err := oidc.NewProvider(c.clientContext(ctx), c.cfg.Issuer)
	if err != nil {
		c.failedAt = time.Now()
		return nil, relocation.Wrap(errUnavailable, fmt.Errorf("proconnect: discovery: %w", err))
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&meta); err != nil {
		c.failedAt = time.Now()
		return nil, relocation.Wrap(errUnavailable, fmt.Errorf("proconnect: discovery metadata: %w", err))
	}
	found := &provider{oidc: p, endSession: meta.EndSession}
	if u, err := url.Parse(meta.EndSession); meta.EndSession != "" && (err != nil || u.Scheme+"://"+u.Host != c.cfg.Origin()) {
		// The pages' Content-Security-Policy lets forms lead to the issuer's origin only.
		c.log.Warn("proconnect: end_session_endpoint is not on the issuer's origin: logout will not end the ProConnect session",
			"end_session_endpoint", meta.EndSession)
		found.endSession = ""
	}
	// The verifier checks the signature against the provider's published keys (fetched
	// again when a token names an unknown key), the issuer, the audience (our client
	// id) and the expiry, by the tracker's clock; the nonce is checked by Exchange.
	found.verifier = p.VerifierContext(c.clientContext(context.Background()), &oidc.Config{ClientID: c.cfg.ClientID, Now: c.now})
	c.found = found
	return found, nil
}

// clientContext makes the OpenID and OAuth libraries use the client's HTTP client.
func (c *Client) clientContext(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, c.http)
}

// oauth returns the OAuth 2 configuration for the redirect URI redirectURI.
func (c *Client) oauth(p *provider, redirectURI string) *oauth2.Config {
	return &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, Endpoint: p.oidc.Endpoint(),
		RedirectURL: redirectURI, Scopes: Scopes}
}

// AuthURL returns the address of the provider's authorization endpoint for a new
// sign-in with state and nonce, coming back to redirectURI. EUNAVAILABLE when the
// provider cannot be discovered.
func (c *Client) AuthURL(ctx context.Context, redirectURI, state, nonce string) (string, error) {
	p, err := c.provider(ctx)
	if err != nil {
		return "", err
	}
	return c.oauth(p, redirectURI).AuthCodeURL(state, oidc.Nonce(nonce)), nil
}

// LogoutURL returns the address of the provider's end_session_endpoint that ends the
// ProConnect session of idToken and comes back to postLogout with state, and false when
// the provider has no such endpoint (or has not been discovered).
func (c *Client) LogoutURL(ctx context.Context, idToken, state, postLogout string) (string, bool) {
	p, err := c.provider(ctx)
	if err != nil || p.endSession == "" {
		return "", false
	}
	u, err := url.Parse(p.endSession)
	if err != nil {
		return "", false
	}
	q := u.Query()
	q.Set("id_token_hint", idToken)
	q.Set("state", state)
	q.Set("post_logout_redirect_uri", postLogout)
	u.RawQuery = q.Encode()
	return u.String(), true
}
