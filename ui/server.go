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

	"github.com/ministere/tracker/relocation"
)

// Limits of request bodies.
const (
	jsonBodyLimit   = 1 << 20  // 1 MiB for JSON
	serverBodyLimit = 20 << 20 // 20 MiB for roster files, the largest body accepted
)

// Config holds the settings of the web server.
type Config struct {
	RequestTimeout time.Duration // deadline of each request's context (default 10 s)
	SecureCookies  bool          // set the Secure flag on cookies (served over HTTPS)
}

// Server holds what the handlers need. Build it with New.
type Server struct {
	cfg       Config
	db        *sqlx.DB
	store     *relocation.Store
	log       *slog.Logger
	now       func() time.Time
	validator *validator.Validate
	pages     map[string]*template.Template
	assets    *assets
}

// New returns the Fiber app serving the API and the pages over db. now is the clock
// (time.Now in production).
func New(cfg Config, db *sqlx.DB, log *slog.Logger, now func() time.Time) (*fiber.App, error) {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 10 * time.Second
	}
	s := &Server{cfg: cfg, db: db, store: relocation.NewStore(db), log: log, now: now, validator: newValidator()}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{
		Immutable:             true,
		BodyLimit:             serverBodyLimit,
		ErrorHandler:          s.errorHandler,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		JSONEncoder:           jsonMarshal,
		JSONDecoder:           json.Unmarshal,
	})
	// The outer recover guards the logging middleware; the inner one turns a handler's
	// panic into an error that the access log sees and the error handler answers.
	app.Use(recover.New(), s.requestID, s.accessLog, recover.New(), s.securityHeaders, s.timeout)
	s.routes(app)
	return app, nil
}

// routes registers every route.
func (s *Server) routes(app *fiber.App) {
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/static/*", s.static)

	api := app.Group("/api/v1")
	api.Get("/relocations", s.apiListRelocations)
	api.Post("/relocations", s.apiCreateRelocation)
	api.Get("/relocations/:id", s.apiGetRelocation)
	api.Patch("/relocations/:id", s.apiUpdateRelocation)
	api.Get("/relocations/:id/milestones", s.apiListMilestones)
	api.Post("/relocations/:id/milestones", s.apiCreateMilestone)
	api.Get("/relocations/:id/journal", s.apiJournal)
	api.Get("/milestones/:id", s.apiGetMilestone)
	api.Patch("/milestones/:id", s.apiUpdateMilestone)
	api.Delete("/milestones/:id", s.apiDeleteMilestone)

	// Pages carry the CSRF check on each route (a group with an empty prefix would
	// also catch the API's unmatched paths).
	app.Get("/", s.csrf, s.pagePortfolio)
	app.Get("/projets/nouveau", s.csrf, s.pageNewRelocation)
	app.Post("/projets", s.csrf, s.formCreateRelocation)
	app.Get("/projets/:id", s.csrf, s.pageRelocation)
	app.Get("/projets/:id/modifier", s.csrf, s.pageEditRelocation)
	app.Post("/projets/:id", s.csrf, s.formUpdateRelocation)
	app.Get("/projets/:id/jalons/nouveau", s.csrf, s.pageNewMilestone)
	app.Post("/projets/:id/jalons", s.csrf, s.formCreateMilestone)
	app.Get("/jalons/:id/modifier", s.csrf, s.pageEditMilestone)
	app.Post("/jalons/:id", s.csrf, s.formUpdateMilestone)
	app.Post("/jalons/:id/supprimer", s.csrf, s.formDeleteMilestone)
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
		s.logger(c).Warn("database not ready", "error", err.Error())
		return relocation.Errorf(relocation.EUNAVAILABLE, "La base de données ne répond pas.")
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

// today returns today's date in Europe/Paris.
func (s *Server) today() relocation.Date { return relocation.Today(s.now()) }
