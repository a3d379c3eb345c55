package ui

import "github.com/gofiber/fiber/v2"

// automatedChecks describes the project's own browser checks (ui/browser_checks_test.go)
// for the accessibility statement. The browser test fails when AxeVersion or AxeTags
// differ from what it runs, so the statement cannot drift from the checks.
type automatedChecks struct {
	AxeVersion string   // the vendored axe-core (Makefile: AXE_VERSION)
	AxeTags    []string // the rule tags axe-core runs
}

// browserChecks are the checks the statement reports.
var browserChecks = automatedChecks{
	AxeVersion: "4.14.1",
	AxeTags:    []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "RGAAv4"},
}

// pageAccessibility is the accessibility statement in the shape RGAA 4.1 sets:
// conformity status, test results, known non-accessible content, contact and remedies
// (public). The passages the deploying ministry must fill are marked as such.
func (s *Server) pageAccessibility(c *fiber.Ctx) error {
	return s.render(c, "accessibility", pageData{Title: "Déclaration d’accessibilité", Data: browserChecks})
}

// pageLegal gives the legal notices: publisher, publication director, host, licence
// and cookies (public). The passages the deploying ministry must fill are marked as such.
func (s *Server) pageLegal(c *fiber.Ctx) error {
	return s.render(c, "legal", pageData{Title: "Mentions légales"})
}

// pagePersonalData says what is stored about people, why, for how long, and how to have
// it erased (public).
func (s *Server) pagePersonalData(c *fiber.Ctx) error {
	return s.render(c, "personal_data", pageData{Title: "Données personnelles"})
}
