package ui

import "github.com/gofiber/fiber/v2"

// pageAccessibility is the accessibility statement in the shape RGAA 4.1 sets:
// conformity status, test results, known non-accessible content, contact and remedies
// (public). The passages the deploying ministry must fill are marked as such.
func (s *Server) pageAccessibility(c *fiber.Ctx) error {
	return s.render(c, "accessibility", pageData{Title: "Déclaration d’accessibilité"})
}

// pageLegal gives the legal notices: publisher, publication director, host, licence
// and cookies (public). The passages the deploying ministry must fill are marked as such.
func (s *Server) pageLegal(c *fiber.Ctx) error {
	return s.render(c, "legal", pageData{Title: "Mentions légales"})
}
