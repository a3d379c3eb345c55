package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"regexp"

	"github.com/gofiber/fiber/v2"
)

//go:embed templates
var templatesFS embed.FS

// pageNames are the pages; each is templates/<name>.html drawn inside the layout.
var pageNames = []string{"portfolio", "relocation", "relocation_form", "milestone_form", "error"}

// pageData is what every page template receives.
type pageData struct {
	Title string
	CSRF  string
	Data  any
}

// errorPage is the body of the error page.
type errorPage struct {
	Status        int
	Title, Detail string
}

// parseTemplates parses every page at start-up, so a broken template or a missing
// asset fails the start rather than a request.
func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range append(pageNames, "layout") {
		src, err := templatesFS.ReadFile("templates/" + name + ".html")
		if err != nil {
			return nil, fmt.Errorf("ui: template %s: %w", name, err)
		}
		for _, m := range assetCall.FindAllSubmatch(src, -1) {
			if _, ok := s.assets.files[string(m[1])]; !ok {
				return nil, fmt.Errorf("ui: template %s names a missing asset %q", name, m[1])
			}
		}
		if name == "layout" {
			continue
		}
		t, err := template.New("layout").Funcs(s.templateFuncs()).
			ParseFS(templatesFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("ui: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// assetCall finds the asset paths a template names.
var assetCall = regexp.MustCompile(`asset "([^"]+)"`)

// render draws a page with the request's CSRF token.
func (s *Server) render(c *fiber.Ctx, name string, data pageData) error {
	if tok, ok := c.Locals(localCSRF).(string); ok {
		data.CSRF = tok
	}
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("ui: render %s: %w", name, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

// redirect answers a form POST with 303 See Other.
func redirect(c *fiber.Ctx, to string) error {
	return c.Redirect(to, fiber.StatusSeeOther)
}
