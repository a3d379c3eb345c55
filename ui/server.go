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
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
	"github.com/ministere/tracker/ui/account"
	"github.com/ministere/tracker/ui/proconnect"
)

// Config holds the settings of the web server.
type Config struct {
	RequestTimeout time.Duration // deadline of each request's context (default 10 s)
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
		cfg.RequestTimeout = 10 * time.Second
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
	// The outer recover guards the logging middleware; the inner one turns a handler's
	// panic into an error that the access log sees and the error handler answers.
	s.guardServer(app)
	app.Use(recover.New(), s.requestID, s.accessLog, recover.New(), s.securityHeaders, s.timeout)
	// Health checks and static files answer before anyone is looked up: a page's
	// stylesheets and scripts cost no session query.
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/static/*", s.static)
	app.Use(s.authenticate, s.readPending, s.sessionCSRF)
	s.routes(app)
	return app, nil
}

// routes registers every route that knows who asks. Everything but the login page
// needs an account; writes are checked per record in the handlers.
func (s *Server) routes(app *fiber.App) {
	app.Get("/donnees-personnelles", s.pagePersonalData)
	app.Get("/accessibilite", s.pageAccessibility)
	app.Get("/mentions-legales", s.pageLegal)
	s.publicRoutes(app)
	app.Get("/login", s.loginCSRF, s.pageLogin)
	app.Post("/login", s.loginCSRF, s.formLogin)
	app.Post("/logout", s.formLogout)
	if s.proconnect != nil { // else these answer 404
		app.Get(proconnect.StartPath, s.proconnectStart)
		app.Get(proconnect.CallbackPath, s.proconnectCallback)
		app.Get(proconnect.LoggedOutPath, s.proconnectLoggedOut)
	}

	api := app.Group("/api/v1", s.requireUser)
	api.Get("/relocations", s.apiListRelocations)
	api.Post("/relocations", s.apiCreateRelocation)
	api.Get("/relocations/:id", s.apiGetRelocation)
	api.Patch("/relocations/:id", s.apiUpdateRelocation)
	api.Get("/relocations/:id/milestones", s.apiListMilestones)
	api.Post("/relocations/:id/milestones", s.apiCreateMilestone)
	api.Get("/relocations/:id/journal", s.apiJournal)
	api.Get("/relocations/:id/managers", s.apiGetManagers)
	api.Put("/relocations/:id/managers", s.requireAdmin, s.apiSetManagers)
	api.Get("/relocations/:id/sites", s.apiListSites)
	api.Post("/relocations/:id/sites", s.apiCreateSite)
	api.Get("/relocations/:id/partners", s.apiListPartners)
	api.Post("/relocations/:id/partners", s.apiCreatePartner)
	api.Get("/relocations/:id/criteria", s.apiListCriteria)
	api.Post("/relocations/:id/criteria", s.apiCreateCriterion)
	api.Get("/relocations/:id/ranking", s.apiRanking)
	api.Get("/relocations/:id/ranking/acceptability", s.apiAcceptability)
	api.Put("/relocations/:id/agents", s.apiImportRoster)
	api.Delete("/relocations/:id/agents", s.apiDeleteRoster)
	api.Post("/relocations/:id/questions", s.apiImportQuestion)
	api.Get("/relocations/:id/commute", s.apiCommute)
	api.Get("/relocations/:id/calendar.ics", s.apiCalendar)
	api.Post("/relocations/:id/ahp", s.apiAHP)
	api.Get("/sites/:id", s.apiGetSite)
	api.Patch("/sites/:id", s.apiUpdateSite)
	api.Get("/sites/:sid/scores/:cid", s.apiGetScore)
	api.Put("/sites/:sid/scores/:cid", s.apiSetScore)
	api.Get("/partners/:id", s.apiGetPartner)
	api.Patch("/partners/:id", s.apiUpdatePartner)
	api.Delete("/partners/:id", s.apiDeletePartner)
	api.Patch("/criteria/:id", s.apiUpdateCriterion)
	api.Delete("/criteria/:id", s.apiDeleteCriterion)
	api.Get("/milestones/:id", s.apiGetMilestone)
	api.Patch("/milestones/:id", s.apiUpdateMilestone)
	api.Delete("/milestones/:id", s.apiDeleteMilestone)

	app.Get("/", s.requireUser, s.pagePortfolio)
	app.Get("/portefeuille.csv", s.requireUser, s.exportPortfolio("csv"))
	app.Get("/portefeuille.xlsx", s.requireUser, s.exportPortfolio("xlsx"))
	app.Get("/projets/nouveau", s.requireUser, s.pageNewRelocation)
	app.Post("/projets", s.requireUser, s.formCreateRelocation)
	app.Get("/projets/:id", s.requireUser, s.pageRelocation)
	app.Get("/projets/:id/modifier", s.requireUser, s.pageEditRelocation)
	app.Post("/projets/:id", s.requireUser, s.formUpdateRelocation)
	app.Post("/projets/:id/responsables", s.requireUser, s.requireAdmin, s.formSetManagers)
	app.Get("/projets/:id/jalons.csv", s.requireUser, s.exportMilestones("csv"))
	app.Get("/projets/:id/jalons.xlsx", s.requireUser, s.exportMilestones("xlsx"))
	app.Get("/projets/:id/jalons/nouveau", s.requireUser, s.pageNewMilestone)
	app.Post("/projets/:id/jalons", s.requireUser, s.formCreateMilestone)
	app.Get("/jalons/:id/modifier", s.requireUser, s.pageEditMilestone)
	app.Post("/jalons/:id", s.requireUser, s.formUpdateMilestone)
	app.Post("/jalons/:id/supprimer", s.requireUser, s.formDeleteMilestone)

	app.Get("/profil", s.requireUser, s.pageProfile)
	app.Get("/profil/mot-de-passe", s.requireUser, s.pagePassword)
	app.Post("/profil/mot-de-passe", s.requireUser, s.formPassword)
	app.Post("/profil/sessions/:key/fin", s.requireUser, s.formEndSession)
	app.Post("/profil/jetons", s.requireUser, s.formCreateToken)
	app.Post("/profil/jetons/:id/revoquer", s.requireUser, s.formRevokeToken)

	s.siteRoutes(app)
	s.partnerRoutes(app)
	s.confirmRoutes(app)
	s.rankingRoutes(app)
	s.commuteRoutes(app)
	s.questionRoutes(app)

	admin := app.Group("/admin", s.requireUser, s.requireAdmin)
	admin.Get("/comptes", s.pageAccounts)
	admin.Post("/comptes", s.formCreateAccount)
	admin.Get("/comptes/:id/modifier", s.pageEditAccount)
	admin.Post("/comptes/:id", s.formUpdateAccount)
	admin.Get("/journal", s.pageAccountJournal)
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

// pagePersonalData says what is stored about people, why, for how long, and how to have
// it erased (public).
func (s *Server) pagePersonalData(c *fiber.Ctx) error {
	return s.render(c, "personal_data", pageData{Title: "Données personnelles"})
}
