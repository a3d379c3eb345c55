// Package ui is the web face of the tracker: the Fiber app, its middleware, the JSON
// API, the French pages with the State Design System, and the embedded assets.
package ui

import (
	"context"
	"encoding/json"
	"html/template"
	"log/slog"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
	"github.com/ministere/tracker/ui/account"
	"github.com/ministere/tracker/ui/proconnect"
)

// DefaultRequestTimeout is the deadline of each request's work when Config says none:
// a query still running then is cancelled and the request answered 503.
const DefaultRequestTimeout = 10 * time.Second

// Config holds the settings of the web server.
type Config struct {
	RequestTimeout time.Duration // deadline of each request's context (default DefaultRequestTimeout)
	SecureCookies  bool          // served over HTTPS behind something Fiber cannot see: Secure cookies, HSTS
	TrustedProxies []string      // proxies whose X-Forwarded-* headers are believed (none by default)
	BcryptCost     int           // password hashing cost (default 12, at least 10)
	// ProConnect is the registration with ProConnect; sign-in through it is offered only
	// when it is Enabled (issuer, client id and secret set).
	ProConnect proconnect.Config
}

// Server holds what the handlers need. Build it with New.
type Server struct {
	cfg       Config
	db        *sqlx.DB
	store     *relocation.Store
	accounts  *account.Store
	sites     *sites.Store
	criteria  *criteria.Store
	log       *slog.Logger
	now       func() time.Time
	validator *validator.Validate
	pages     map[string]*template.Template
	assets    *assets
	drawings  *drawnPages // pages drawn once per state (drawn.go)
	look      string      // the templates' and assets' fingerprint (public validators)
	loginKey  *sharedKey  // binds the login form's CSRF token to its cookie
	low       lowLevel    // what the refusals below the routes need (limits.go)
	uploads   uploadGate  // large uploads in flight (body.go)
	csp       string      // the Content-Security-Policy of every answer

	proconnect *proconnect.Client  // nil when ProConnect is not configured
	pending    *proconnect.Pending // ProConnect sign-ins under way
}

// New returns the Fiber app serving the API and the pages over db. now is the clock
// (time.Now in production).
func New(cfg Config, db *sqlx.DB, log *slog.Logger, now func() time.Time) (*fiber.App, error) {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.BcryptCost == 0 {
		cfg.BcryptCost = account.DefaultBcryptCost
	}
	s := &Server{cfg: cfg, db: db, store: criteria.NewRelocationStore(db), accounts: account.NewStore(db, now, cfg.BcryptCost),
		sites: sites.NewStore(db), criteria: criteria.NewStore(db),
		log: log, now: now, validator: newValidator(), drawings: newDrawnPages(),
		loginKey: &sharedKey{name: "login_csrf", db: db}}
	s.csp = contentSecurityPolicy("")
	if cfg.ProConnect.Enabled() {
		s.proconnect = proconnect.New(context.Background(), cfg.ProConnect, nil, log, now)
		s.pending = proconnect.NewPending(db, now)
		s.csp = contentSecurityPolicy(cfg.ProConnect.Origin())
	}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	if s.look, err = s.fingerprint(); err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{
		Immutable:     true,
		CaseSensitive: true, // /API/… is not /api/…: the API’s checks go by the path
		// Each route has its own limit, applied before the body is read (limits.go);
		// this one serves none.
		BodyLimit: defaultBodyLimit,
		// Bodies are streamed, and read by readEarly or readPending (body.go): a declared
		// length is never allocated before the caller is known.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		// Room for a long ?next= and ordinary large cookie or User-Agent headers (4 KiB is
		// fasthttp's default, and answered 431 to them).
		ReadBufferSize:        16 << 10,
		ErrorHandler:          s.errorHandler,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		JSONEncoder:           jsonMarshal,
		JSONDecoder:           json.Unmarshal,
		// Behind a proxy, c.IP() and c.Protocol() believe X-Forwarded-* only from these.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg.TrustedProxies),
	})
	s.guardServer(app)
	s.routes(app) // routes.go: every route, in the order a user meets them
	return app, nil
}

// proxyHeader is the header that names the client when proxies are trusted.
func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// healthz answers while the process is up.
func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 when the database answers within two seconds, 503 otherwise.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		s.logger(c).Warn("database not ready", "error", logText(err))
		return relocation.Errorf(relocation.EUNAVAILABLE, "La base de données ne répond pas.")
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

// today returns today's date in Europe/Paris.
func (s *Server) today() relocation.Date { return relocation.Today(s.now()) }
