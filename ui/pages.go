package ui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

//go:embed templates
var templatesFS embed.FS

// pageData is what every page template receives.
type pageData struct {
	Title string
	CSRF  string        // the token forms repeat (set by render)
	User  *account.User // nil for a visitor (set by render)
	Data  any
	// Notice is the success notice of this viewer's last change (set by render from the
	// request, see notice.go); the layout shows it, never a page's content.
	Notice string
	// shared marks a page drawn once for many viewers (the public page kept for
	// visitors): it takes no notice from the request that draws it.
	shared bool
	// Feed and Calendar are the addresses of the page's news feed and calendar, which the
	// layout links in its head (rel="alternate"); only public pages, drawn whole, have them.
	Feed, Calendar string
}

// Failed reports whether the page shows a refusal: a form (a Data field Form) with
// refused fields or a message above it, or a Data field Problem that is not empty. The
// layout then starts the page's <title> with « Erreur : » (RGAA 11.10).
func (p pageData) Failed() bool {
	v := reflect.ValueOf(p.Data)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return false
	}
	if f := v.FieldByName("Form"); f.IsValid() && f.CanInterface() {
		if form, ok := f.Interface().(formState); ok && form.Failed() {
			return true
		}
	}
	f := v.FieldByName("Problem")
	return f.IsValid() && f.Kind() == reflect.String && f.String() != ""
}

// crumb is one link of a breadcrumb; the current page has no Href.
type crumb struct{ Label, Href string }

// crumbs reads a breadcrumb for templates: label, href pairs, then the label of the
// current page.
func crumbs(parts ...string) []crumb {
	var out []crumb
	for i := 0; i < len(parts); i += 2 {
		c := crumb{Label: parts[i]}
		if i+1 < len(parts) {
			c.Href = parts[i+1]
		}
		out = append(out, c)
	}
	return out
}

// relocationCrumbs is the trail of one of r's pages: the portfolio, r's page, then trail
// (label, link… as crumbs reads them).
func relocationCrumbs(r relocation.Relocation, trail ...string) []crumb {
	return append(crumbs("Portefeuille", "/", r.Name, fmt.Sprintf("/projets/%d", r.ID)), crumbs(trail...)...)
}

// layoutFuncs are the helpers of the layout and the shared partials (see templateFuncs
// for the others).
func layoutFuncs() template.FuncMap {
	return template.FuncMap{"crumbs": crumbs}
}

// errorPage is the body of the error page.
type errorPage struct {
	Status        int
	Title, Detail string
}

// parseTemplates parses every page at start-up, so a broken template or a missing
// asset fails the start rather than a request. Each templates/<name>.html but the
// layout is a page, drawn inside the layout; templates/partials/*.html define blocks
// every page may use.
func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	files, err := fs.Glob(templatesFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	// The layout and the partials, parsed once; each page is a copy with its own blocks.
	base, err := template.New("layout").Funcs(s.templateFuncs()).Funcs(layoutFuncs()).Funcs(sessionLimitFuncs()).
		ParseFS(templatesFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("ui: template layout: %w", err)
	}
	pages := map[string]*template.Template{}
	page := func(name string, add func(t *template.Template) error) error {
		t, err := base.Clone()
		if err == nil {
			err = add(t)
		}
		if err != nil {
			return fmt.Errorf("ui: template %s: %w", name, err)
		}
		pages[name] = t
		return nil
	}
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".html")
		src, err := templatesFS.ReadFile(file)
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
		if err := page(name, func(t *template.Template) error { _, err := t.New(path.Base(file)).Parse(string(src)); return err }); err != nil {
			return nil, err
		}
	}
	// The layout around a kept drawing (drawn.go): its content is the drawing.
	err = page(drawnLayout, func(t *template.Template) error { _, err := t.New("content").Parse(`{{.Data}}`); return err })
	if err != nil {
		return nil, err
	}
	return pages, nil
}

// fingerprint names the look of this program's answers: a digest of its templates and
// assets. Public validators carry it, so that a new version's layout is not answered
// 304 to a browser holding the former's.
func (s *Server) fingerprint() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(templatesFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templatesFS.ReadFile(p)
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
		h.Write(b)
		return err
	})
	names := make([]string, 0, len(s.assets.files))
	for name := range s.assets.files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(h, "%s\x00%s\x00", name, s.assets.files[name].hash)
	}
	return hex.EncodeToString(h.Sum(nil)[:4]), err
}

// assetCall finds the asset paths a template names.
var assetCall = regexp.MustCompile(`asset "([^"]+)"`)

// render draws a page with the request's CSRF token.
func (s *Server) render(c *fiber.Ctx, name string, data pageData) error {
	body, err := s.renderBytes(c, name, data)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(body)
}

// renderBytes draws a page (see render) without sending it.
func (s *Server) renderBytes(c *fiber.Ctx, name string, data pageData) ([]byte, error) {
	if p := who(c); p != nil {
		data.User = &p.User
		if p.Session != nil {
			data.CSRF = p.Session.CSRFToken
		}
	} else if tok, ok := c.Locals(localCSRF).(string); ok {
		data.CSRF = tok
	}
	if !data.shared {
		data.Notice = s.takeNotice(c)
	}
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, fmt.Errorf("ui: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// redirect answers a form POST with 303 See Other.
func redirect(c *fiber.Ctx, to string) error {
	return c.Redirect(to, fiber.StatusSeeOther)
}
