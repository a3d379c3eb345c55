package ui

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/kept"
)

// Pages drawn once per state.
//
// The pages many people open again and again (a relocation, its ranking, the
// portfolio…) are drawn — read over one snapshot and rendered — once per state of what
// they show, and the drawing is kept. Each request first reads the page's stamp: one
// prepared statement giving numbers that grow with every change of what the page shows
// (relocation.Stamp; migration 012 says who raises them), plus the account's rights.
// When a drawing of that stamp is kept, the request only renders the layout (header with
// the account's name, footer) around it and writes its CSRF token where the drawing's
// forms repeat it. So a page costs a stamp read between two changes, and a change is
// seen by the very next request, on every instance: the stamp is read from PostgreSQL,
// never remembered.
//
// What a drawing may depend on, and so what its key and stamp must hold: the state of the
// database the stamp counts; the day (milestone states, the timeline's today); the
// account's rights on the page (variant: "admin", "write" or "read") and the query
// parameters the handler reads (variant too). Nothing else: a page's "content" block
// must not read .User, and reads the CSRF token only as $.CSRF.

// drawnKey names one drawing (page, relocation, variant).
type drawnKey = kept.Key

// drawing is one page's content block, rendered, cut where its forms repeat the CSRF
// token: the page is parts[0] + token + parts[1] + token + …
type drawing struct {
	title string
	parts [][]byte
}

// size is the bytes d holds.
func (d drawing) size() int {
	n := len(d.title)
	for _, p := range d.parts {
		n += len(p)
	}
	return n
}

// keptBytesMax bounds the bytes the kept drawings, answers and frames hold together
// (beyond it, the least recently used go).
const keptBytesMax = 24 << 20

// drawnPages keeps drawings and frames (package kept), and the marks frames and
// drawings hold in place of what each request writes itself.
type drawnPages struct {
	store *kept.Store
	mark  string // what drawings hold in place of the CSRF token
	// contentMark and titleMark are what a frame is drawn around, in place of a page's
	// content and title.
	contentMark, titleMark string
}

func newDrawnPages() *drawnPages {
	t := randomToken(16)
	return &drawnPages{store: kept.New(keptBytesMax), mark: "csrf" + t, contentMark: "content" + t, titleMark: "title" + t}
}

// get returns the drawing of key at stamp, kept or drawn by draw (see kept.Store.Get).
func (dp *drawnPages) get(key drawnKey, stamp string, draw func() (drawing, error)) (drawing, error) {
	v, err := dp.store.Get(key, stamp, func() (any, int, error) {
		d, err := draw()
		return d, d.size(), err
	})
	if err != nil {
		return drawing{}, err
	}
	return v.(drawing), nil
}

// drawn answers with the page of key at stamp: kept, or drawn by read (which reads over
// one snapshot and returns the page's title and data), in the account's frame.
func (s *Server) drawn(c *fiber.Ctx, key drawnKey, stamp string, read func() (string, any, error)) error {
	d, err := s.drawings.get(key, stamp, func() (drawing, error) {
		title, data, err := read()
		if err != nil {
			return drawing{}, err
		}
		var buf bytes.Buffer
		pd := pageData{Title: title, CSRF: s.drawings.mark, Data: data}
		if err := s.pages[key.Page].ExecuteTemplate(&buf, "content", pd); err != nil {
			return drawing{}, fmt.Errorf("ui: draw %s: %w", key.Page, err)
		}
		// A copy of its exact size: the parts keep the whole array they are cut from.
		content := bytes.Clone(buf.Bytes())
		return drawing{title: title, parts: bytes.Split(content, []byte(s.drawings.mark))}, nil
	})
	if err != nil {
		return err
	}
	f, err := s.frame(c)
	if err != nil {
		return err
	}
	var token string
	if p := who(c); p != nil && p.Session != nil {
		token = p.Session.CSRFToken
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	res := c.Response()
	write := func(parts [][]byte) {
		for i, part := range parts {
			if i > 0 {
				res.AppendBodyString(token)
			}
			res.AppendBody(part)
		}
	}
	write(f.head)
	res.AppendBodyString(template.HTMLEscapeString(d.title))
	write(f.middle)
	write(d.parts)
	write(f.tail)
	return nil
}

// A frame is the layout drawn around a page for one account: the header with the
// account's name and links, the success notice of its last change if any, the footer.
// Frames are kept too, cut where the page's title, its content and the CSRF token go:
// the page is head + title + middle + content + tail.
type frame struct{ head, middle, tail [][]byte }

// frameKey is what a frame depends on: the account's name and role, the success notice
// of its last change if any, whether it is signed in. Frames are kept in the same store
// as drawings, their bytes counted with them.
func frameKey(name, role, notice string, signedIn bool) drawnKey {
	return drawnKey{Page: "_frame", Variant: fmt.Sprintf("%q %q %q %t", name, role, notice, signedIn)}
}

// frame returns the frame of the request's account.
func (s *Server) frame(c *fiber.Ctx) (frame, error) {
	notice := s.takeNotice(c)
	p := who(c)
	var key drawnKey
	if p != nil {
		key = frameKey(p.User.Name, p.User.Role, notice, true)
	} else {
		key = frameKey("", "", notice, false)
	}
	dp := s.drawings
	v, err := dp.store.Get(key, "", func() (any, int, error) {
		pd := pageData{Title: dp.titleMark, CSRF: dp.mark, Data: template.HTML(dp.contentMark), Notice: notice}
		if p != nil {
			pd.User = &p.User
		}
		var buf bytes.Buffer
		if err := s.pages[drawnLayout].ExecuteTemplate(&buf, "layout", pd); err != nil {
			return nil, 0, fmt.Errorf("ui: frame: %w", err)
		}
		page := bytes.Clone(buf.Bytes())
		head, rest, okTitle := bytes.Cut(page, []byte(dp.titleMark))
		middle, tail, okContent := bytes.Cut(rest, []byte(dp.contentMark))
		if !okTitle || !okContent {
			return nil, 0, fmt.Errorf("ui: the layout lost the title or the content")
		}
		mark := []byte(dp.mark)
		f := frame{head: bytes.Split(head, mark), middle: bytes.Split(middle, mark), tail: bytes.Split(tail, mark)}
		return f, len(page), nil
	})
	if err != nil {
		return frame{}, err
	}
	return v.(frame), nil
}

// keptJSON answers the JSON of what compute returns, kept under key at stamp like a
// drawn page: compute runs only when no answer of that stamp is kept.
func (s *Server) keptJSON(c *fiber.Ctx, key drawnKey, stamp string, compute func() (any, error)) error {
	return s.kept(c, key, stamp, fiber.MIMEApplicationJSON, func() ([]byte, error) {
		v, err := compute()
		if err != nil {
			return nil, err
		}
		return jsonMarshal(v) // as the rest of the API writes JSON
	})
}

// kept answers the bytes compute returns, of contentType, kept under key at stamp.
func (s *Server) kept(c *fiber.Ctx, key drawnKey, stamp, contentType string, compute func() ([]byte, error)) error {
	d, err := s.drawings.get(key, stamp, func() (drawing, error) {
		b, err := compute()
		return drawing{parts: [][]byte{b}}, err
	})
	if err != nil {
		return err
	}
	if len(d.parts) != 1 {
		return fmt.Errorf("ui: kept answer %s in %d parts", key.Page, len(d.parts))
	}
	c.Set(fiber.HeaderContentType, contentType)
	return c.Send(d.parts[0])
}

// drawnLayout is the template that draws a frame: the layout around a content mark.
const drawnLayout = "_drawn"

// rightsVariant names the rights a drawing of a relocation's page depends on.
func rightsVariant(admin, writes bool) string {
	switch {
	case admin:
		return "admin"
	case writes:
		return "write"
	}
	return "read"
}

// entityStamp reads the stamp of entity :id of table (see relocation.Store.StampOf) for
// the request's account: the entity's id, its relocation's, and the stamp.
func (s *Server) entityStamp(c *fiber.Ctx, table, notFound string) (int64, int64, relocation.Stamp, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, 0, relocation.Stamp{}, err
	}
	st, relocationID, err := s.store.StampOf(c.UserContext(), s.actor(c), table, id, notFound)
	return id, relocationID, st, err
}

// relocationRevision reads relocation :id's stamp for the request's account (ENOTFOUND
// when it may not read it): the relocation's id and its revision, the stamp of what
// depends on the relocation's state alone (an API answer, an export).
func (s *Server) relocationRevision(c *fiber.Ctx) (int64, string, error) {
	id, _, st, err := s.entityStamp(c, "relocations", "")
	return id, strconv.FormatInt(st.Revision, 10), err
}

// drawnAt names the drawing of page for entity id with params (the query parameters the
// page reads, normalised), as the account of st sees it, and the stamp it is kept under.
func (s *Server) drawnAt(page string, id int64, params string, st relocation.Stamp) (drawnKey, string) {
	key := drawnKey{Page: page, ID: id, Variant: rightsVariant(st.Admin, st.Writes) + "?" + params}
	return key, fmt.Sprintf("%d.%d.%s", st.Revision, st.Accounts, s.today())
}

// drawnUnlessRare answers like drawn when keep, else draws the page for this request
// alone: for query parameters an attacker could vary without end (a far journal page),
// which would otherwise push the kept drawings out.
func (s *Server) drawnUnlessRare(c *fiber.Ctx, keep bool, key drawnKey, stamp string, read func() (string, any, error)) error {
	if keep {
		return s.drawn(c, key, stamp, read)
	}
	title, data, err := read()
	if err != nil {
		return err
	}
	return s.render(c, key.Page, pageData{Title: title, Data: data})
}

// renderFor draws page of relocation id for this request alone (with a refused form,
// say): build gets whether the account may change the relocation.
func (s *Server) renderFor(c *fiber.Ctx, page string, id int64, build func(canEdit bool) (string, any, error)) error {
	canEdit, err := s.canWrite(c, id)
	if err != nil {
		return err
	}
	title, data, err := build(canEdit)
	if err != nil {
		return err
	}
	return s.render(c, page, pageData{Title: title, Data: data})
}

// drawnPage answers page for entity :id of table (see entityStamp), drawn once per state
// by draw, which gets the entity's id, its relocation's and the account's stamp (for its
// rights).
func (s *Server) drawnPage(c *fiber.Ctx, page, table, notFound string, draw func(id, relocationID int64, st relocation.Stamp) (string, any, error)) error {
	id, relocationID, st, err := s.entityStamp(c, table, notFound)
	if err != nil {
		return err
	}
	key, stamp := s.drawnAt(page, id, "", st)
	return s.drawn(c, key, stamp, func() (string, any, error) { return draw(id, relocationID, st) })
}

// drawnForm answers the GET of a form (template page; params tell apart the forms one
// template draws over different tables) over entity :id of table, drawn once per state
// for the accounts that may change it; the others get the refusal an action would give
// them. draw gets the entity's id and its relocation's.
func (s *Server) drawnForm(c *fiber.Ctx, page, params, table, notFound string, draw func(id, relocationID int64) (string, any, error)) error {
	id, relocationID, st, err := s.entityStamp(c, table, notFound)
	if err != nil {
		return err
	}
	if !st.Writes {
		if err := s.mayWrite(c, relocationID); err != nil {
			return err
		}
	}
	key, stamp := s.drawnAt(page, id, params, st)
	return s.drawn(c, key, stamp, func() (string, any, error) { return draw(id, relocationID) })
}
