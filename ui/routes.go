package ui

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/ministere/tracker/ui/proconnect"
)

// routes registers every route of the product, in the order a user meets them: read it
// top to bottom as the map of the tracker. Fiber tries routes and middleware in the order
// they are registered, so two things are not where a reader would put them: the chain
// every request passes comes first, and the operations routes and static files come
// before the middleware that looks up who asks (they answer without a session query).
// Pages and the API need an account (requireUser) except the public pages, the legal
// pages and the sign-in routes; who may write a given record is decided inside the
// action's transaction, under its lock (relocation.Act, DESIGN rule 4), not here.
func (s *Server) routes(app *fiber.App) {
	// Every request: the outer recover guards the logging middleware; the inner one turns
	// a handler's panic into an error that the access log sees and the error handler answers.
	app.Use(recover.New(), s.requestID, s.accessLog, recover.New(), s.securityHeaders, s.timeout)

	// Operations and static files (server.go, assets.go): before anyone is looked up, so a
	// page's stylesheets and scripts cost no session query.
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/static/*", s.static)

	// Who asks (auth.go, body.go): the session or API token, a pending body, the session's CSRF check.
	app.Use(s.authenticate, s.readPending, s.sessionCSRF)

	// Legal pages, no account (server.go, legal_page.go).
	app.Get("/donnees-personnelles", s.pagePersonalData)
	app.Get("/accessibilite", s.pageAccessibility)
	app.Get("/mentions-legales", s.pageLegal)

	// Public relocations, their calendar and news feed, no account (public_page.go, public_feeds.go).
	app.Get("/r", s.pagePublicList)
	app.Get("/r/:slug", s.pagePublic)
	app.Get("/r/:slug/calendar.ics", s.publicCalendar)
	app.Get("/r/:slug/feed.atom", s.publicFeed)

	// Sign-in with a password (login_page.go); the login form has its own CSRF cookie.
	app.Get("/login", s.loginCSRF, s.pageLogin)
	app.Post("/login", s.loginCSRF, s.formLogin)
	app.Post("/logout", s.formLogout)

	// Sign-in through ProConnect (proconnect_page.go), only when it is configured; else 404.
	if s.proconnect != nil {
		app.Get(proconnect.StartPath, s.proconnectStart)
		app.Get(proconnect.CallbackPath, s.proconnectCallback)
		app.Get(proconnect.LoggedOutPath, s.proconnectLoggedOut)
	}

	// Portfolio: the relocations one may see, and their export (portfolio_page.go, portfolio_export.go).
	app.Get("/", s.requireUser, s.pagePortfolio)
	app.Get("/portefeuille.csv", s.requireUser, s.exportPortfolio("csv"))
	app.Get("/portefeuille.xlsx", s.requireUser, s.exportPortfolio("xlsx"))

	// A relocation: create, read, edit; its managers are set by an admin (relocation_page.go).
	app.Get("/projets/nouveau", s.requireUser, s.pageNewRelocation) // before /projets/:id
	app.Post("/projets", s.requireUser, s.formCreateRelocation)
	app.Get("/projets/:id", s.requireUser, s.pageRelocation)
	app.Get("/projets/:id/modifier", s.requireUser, s.pageEditRelocation)
	app.Post("/projets/:id", s.requireUser, s.formUpdateRelocation)
	app.Post("/projets/:id/responsables", s.requireUser, s.requireAdmin, s.formSetManagers)

	// Milestones: export, create, edit, delete after confirming (milestone_page.go, milestone_export.go,
	// confirm_page.go).
	app.Get("/projets/:id/jalons.csv", s.requireUser, s.exportMilestones("csv"))
	app.Get("/projets/:id/jalons.xlsx", s.requireUser, s.exportMilestones("xlsx"))
	app.Get("/projets/:id/jalons/nouveau", s.requireUser, s.pageNewMilestone)
	app.Post("/projets/:id/jalons", s.requireUser, s.formCreateMilestone)
	app.Get("/jalons/:id/modifier", s.requireUser, s.pageEditMilestone)
	app.Post("/jalons/:id", s.requireUser, s.formUpdateMilestone)
	app.Get("/jalons/:id/supprimer", s.requireUser, s.pageConfirmDeleteMilestone)
	app.Post("/jalons/:id/supprimer", s.requireUser, s.formDeleteMilestone)

	// Candidate sites: create, read, edit (site_page.go).
	app.Get("/projets/:id/sites/nouveau", s.requireUser, s.pageNewSite)
	app.Post("/projets/:id/sites", s.requireUser, s.formCreateSite)
	app.Get("/sites/:id", s.requireUser, s.pageSite)
	app.Get("/sites/:id/modifier", s.requireUser, s.pageEditSite)
	app.Post("/sites/:id", s.requireUser, s.formUpdateSite)

	// Criteria: list, create, edit, delete after confirming (criteria_page.go, confirm_page.go).
	app.Get("/projets/:id/criteres", s.requireUser, s.pageCriteria)
	app.Post("/projets/:id/criteres", s.requireUser, s.formCreateCriterion)
	app.Get("/criteres/:id/modifier", s.requireUser, s.pageEditCriterion)
	app.Post("/criteres/:id", s.requireUser, s.formUpdateCriterion)
	app.Get("/criteres/:id/supprimer", s.requireUser, s.pageConfirmDeleteCriterion)
	app.Post("/criteres/:id/supprimer", s.requireUser, s.formDeleteCriterion)

	// Scores: every site against every criterion, in one grid (scores_page.go).
	app.Get("/projets/:id/notes", s.requireUser, s.pageScores)
	app.Post("/projets/:id/notes", s.requireUser, s.formSetScores)

	// Ranking, its export, the AHP weighting and the decision note (ranking_page.go,
	// ranking_export.go, ahp_page.go, decision_note_page.go).
	app.Get("/projets/:id/classement", s.requireUser, s.pageRanking)
	app.Get("/projets/:id/classement.csv", s.requireUser, s.exportRankingCSV)
	app.Get("/projets/:id/ahp", s.requireUser, s.pageAHP)
	app.Post("/projets/:id/ahp", s.requireUser, s.formAHP)
	app.Get("/projets/:id/note-de-decision", s.requireUser, s.pageDecisionNote)

	// Agents' commutes and the roster they come from: its template, import, deletion after
	// confirming (commute_page.go, roster_page.go, roster_template.go, confirm_page.go).
	app.Get("/projets/:id/trajets", s.requireUser, s.pageCommute)
	app.Get("/projets/:id/trajets/modele.:format", s.requireUser, s.rosterTemplate)
	app.Post("/projets/:id/agents", s.requireUser, s.formImportRoster)
	app.Get("/projets/:id/agents/supprimer", s.requireUser, s.pageConfirmDeleteRoster)
	app.Post("/projets/:id/agents/supprimer", s.requireUser, s.formDeleteRoster)

	// Partners: list, create, edit, delete after confirming (partners_page.go).
	app.Get("/projets/:id/partenaires", s.requireUser, s.pagePartners)
	app.Post("/projets/:id/partenaires", s.requireUser, s.formCreatePartner)
	app.Get("/partenaires/:id/modifier", s.requireUser, s.pageEditPartner)
	app.Post("/partenaires/:id", s.requireUser, s.formUpdatePartner)
	app.Get("/partenaires/:id/supprimer", s.requireUser, s.pageConfirmDeletePartner)
	app.Post("/partenaires/:id/supprimer", s.requireUser, s.formDeletePartner)

	// Written questions: import with a preview, read, take an announced date as a
	// milestone (questions_page.go).
	app.Get("/projets/:id/questions", s.requireUser, s.pageImportQuestion)
	app.Post("/projets/:id/questions/apercu", s.requireUser, s.formPreviewQuestion)
	app.Post("/projets/:id/questions", s.requireUser, s.formImportQuestion)
	app.Get("/projets/:id/questions/:qid", s.requireUser, s.pageQuestion)
	app.Post("/projets/:id/questions/:qid/echeances/:n", s.requireUser, s.formAnnouncedMilestone)

	// One's own account: profile, password, sessions, API tokens (profile_page.go,
	// password_page.go, confirm_page.go).
	app.Get("/profil", s.requireUser, s.pageProfile)
	app.Get("/profil/mot-de-passe", s.requireUser, s.pagePassword)
	app.Post("/profil/mot-de-passe", s.requireUser, s.formPassword)
	app.Post("/profil/sessions/:key/fin", s.requireUser, s.formEndSession)
	app.Post("/profil/jetons", s.requireUser, s.formCreateToken)
	app.Get("/profil/jetons/:id/revoquer", s.requireUser, s.pageConfirmRevokeToken)
	app.Post("/profil/jetons/:id/revoquer", s.requireUser, s.formRevokeToken)

	// Administration, admins only: accounts and their journal (admin_page.go, account_journal_page.go).
	admin := app.Group("/admin", s.requireUser, s.requireAdmin)
	admin.Get("/comptes", s.pageAccounts)
	admin.Post("/comptes", s.formCreateAccount)
	admin.Get("/comptes/:id/modifier", s.pageEditAccount)
	admin.Post("/comptes/:id", s.formUpdateAccount)
	admin.Get("/journal", s.pageAccountJournal)

	// API v1 (SPEC), with a session or an API token, in the same order as the pages.
	api := app.Group("/api/v1", s.requireUser)
	// Relocations, their journal and managers (relocation_api.go, managers_api.go).
	api.Get("/relocations", s.apiListRelocations)
	api.Post("/relocations", s.apiCreateRelocation)
	api.Get("/relocations/:id", s.apiGetRelocation)
	api.Patch("/relocations/:id", s.apiUpdateRelocation)
	api.Get("/relocations/:id/journal", s.apiJournal)
	api.Get("/relocations/:id/managers", s.apiGetManagers)
	api.Put("/relocations/:id/managers", s.requireAdmin, s.apiSetManagers)
	// Milestones and their calendar (milestone_api.go).
	api.Get("/relocations/:id/milestones", s.apiListMilestones)
	api.Post("/relocations/:id/milestones", s.apiCreateMilestone)
	api.Get("/milestones/:id", s.apiGetMilestone)
	api.Patch("/milestones/:id", s.apiUpdateMilestone)
	api.Delete("/milestones/:id", s.apiDeleteMilestone)
	api.Get("/relocations/:id/calendar.ics", s.apiCalendar)
	// Sites (site_api.go).
	api.Get("/relocations/:id/sites", s.apiListSites)
	api.Post("/relocations/:id/sites", s.apiCreateSite)
	api.Get("/sites/:id", s.apiGetSite)
	api.Patch("/sites/:id", s.apiUpdateSite)
	// Criteria and scores (criteria_api.go, scores_api.go).
	api.Get("/relocations/:id/criteria", s.apiListCriteria)
	api.Post("/relocations/:id/criteria", s.apiCreateCriterion)
	api.Patch("/criteria/:id", s.apiUpdateCriterion)
	api.Delete("/criteria/:id", s.apiDeleteCriterion)
	api.Get("/sites/:sid/scores/:cid", s.apiGetScore)
	api.Put("/sites/:sid/scores/:cid", s.apiSetScore)
	// Ranking, acceptability, AHP (ranking_api.go, acceptability_api.go).
	api.Get("/relocations/:id/ranking", s.apiRanking)
	api.Get("/relocations/:id/ranking/acceptability", s.apiAcceptability)
	api.Post("/relocations/:id/ahp", s.apiAHP)
	// Commutes and the roster (commute_api.go, roster_api.go).
	api.Get("/relocations/:id/commute", s.apiCommute)
	api.Put("/relocations/:id/agents", s.apiImportRoster)
	api.Delete("/relocations/:id/agents", s.apiDeleteRoster)
	// Partners (partners_api.go).
	api.Get("/relocations/:id/partners", s.apiListPartners)
	api.Post("/relocations/:id/partners", s.apiCreatePartner)
	api.Get("/partners/:id", s.apiGetPartner)
	api.Patch("/partners/:id", s.apiUpdatePartner)
	api.Delete("/partners/:id", s.apiDeletePartner)
	// Written questions (questions_api.go).
	api.Post("/relocations/:id/questions", s.apiImportQuestion)
}
