package ui

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
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

// drawnKey names one drawing.
type drawnKey struct {
	page    string // the template
	id      int64  // the relocation drawn, 0 for none
	variant string // the rights and query parameters the drawing depends on
}

// drawing is one page's content block, rendered, cut where its forms repeat the CSRF
// token: the page is parts[0] + token + parts[1] + token + …
type drawing struct {
	stamp string
	title string
	parts [][]byte
	size  int // the bytes it holds
}

// drawnBytesMax bounds the bytes the kept drawings hold (beyond it, older ones go).
const drawnBytesMax = 24 << 20

// drawnPages keeps the last drawing of each key, and lets one request draw a key while
// the others asking for the same key and stamp wait for it.
type drawnPages struct {
	mu       sync.Mutex
	entries  map[drawnKey]drawing
	bytes    int
	inFlight map[drawnKey]*drawCall
	frames   map[frameKey]frame
	mark     string // what drawings hold in place of the CSRF token
	// contentMark and titleMark are what a frame is drawn around, in place of a page's
	// content and title.
	contentMark, titleMark string
}

// drawCall is a drawing under way.
type drawCall struct {
	stamp string
	done  chan struct{}
	d     drawing
	err   error
}

func newDrawnPages() *drawnPages {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("ui: random: %v", err)) // crypto/rand does not fail on Linux
	}
	return &drawnPages{entries: map[drawnKey]drawing{}, inFlight: map[drawnKey]*drawCall{},
		frames: map[frameKey]frame{}, mark: "csrf" + hex.EncodeToString(b), contentMark: "content" + hex.EncodeToString(b),
		titleMark: "title" + hex.EncodeToString(b)}
}

// get returns the drawing of key at stamp: the kept one, the one another request is
// drawing, or a new one from draw (kept when it succeeds and no later request has
// started drawing key meanwhile). A request waiting for another's drawing draws itself
// when that one ran out of time or was cancelled: the deadline was the other request's.
func (dp *drawnPages) get(key drawnKey, stamp string, draw func() (drawing, error)) (drawing, error) {
	for {
		dp.mu.Lock()
		if d, ok := dp.entries[key]; ok && d.stamp == stamp {
			dp.mu.Unlock()
			return d, nil
		}
		call, ok := dp.inFlight[key]
		if !ok || call.stamp != stamp {
			break // dp.mu stays locked for the drawing's registration below
		}
		dp.mu.Unlock()
		<-call.done
		if !errors.Is(call.err, context.Canceled) && !errors.Is(call.err, context.DeadlineExceeded) {
			return call.d, call.err
		}
		// Its drawer's time ran out: try again, with this request's own time.
		dp.mu.Lock()
		if dp.inFlight[key] == call {
			delete(dp.inFlight, key)
		}
		dp.mu.Unlock()
	}
	call := &drawCall{stamp: stamp, done: make(chan struct{})}
	dp.inFlight[key] = call
	dp.mu.Unlock()

	finished := false
	defer func() {
		// Whatever happened, even a panic (answered 500 by the recover middleware), the
		// call is over: waiters get an error, not an empty drawing, and the key is free.
		if !finished {
			call.err = errors.New("ui: drawing " + key.page + " failed")
		}
		dp.mu.Lock()
		latest := dp.inFlight[key] == call
		if latest {
			delete(dp.inFlight, key)
		}
		if call.err == nil && latest {
			dp.keep(key, call.d)
		}
		dp.mu.Unlock()
		close(call.done)
	}()
	call.d, call.err = draw()
	call.d.stamp = stamp
	finished = true
	return call.d, call.err
}

// keep stores d under key, dropping other drawings while the total is over the bound
// (in map order: an arbitrary choice, fine for a bound that is rarely reached).
func (dp *drawnPages) keep(key drawnKey, d drawing) {
	if old, ok := dp.entries[key]; ok {
		dp.bytes -= old.size
		delete(dp.entries, key)
	}
	if d.size > drawnBytesMax {
		return // never kept: it would push out every other
	}
	for k, old := range dp.entries {
		if dp.bytes+d.size <= drawnBytesMax {
			break
		}
		dp.bytes -= old.size
		delete(dp.entries, k)
	}
	dp.entries[key] = d
	dp.bytes += d.size
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
		if err := s.pages[key.page].ExecuteTemplate(&buf, "content", pd); err != nil {
			return drawing{}, fmt.Errorf("ui: draw %s: %w", key.page, err)
		}
		// A copy of its exact size: the parts keep the whole array they are cut from.
		content := bytes.Clone(buf.Bytes())
		return drawing{title: title, parts: bytes.Split(content, []byte(s.drawings.mark)), size: len(content) + len(title)}, nil
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

// frameKey is what a frame depends on.
type frameKey struct {
	name, role string
	notice     string // one of the few success notices (notice.go), or none
	signedIn   bool
}

// framesMax bounds the frames kept (beyond it, all go and are drawn again).
const framesMax = 1024

// frame returns the frame of the request's account.
func (s *Server) frame(c *fiber.Ctx) (frame, error) {
	key := frameKey{notice: s.takeNotice(c)}
	if p := who(c); p != nil {
		key.name, key.role, key.signedIn = p.User.Name, p.User.Role, true
	}
	dp := s.drawings
	dp.mu.Lock()
	f, ok := dp.frames[key]
	dp.mu.Unlock()
	if ok {
		return f, nil
	}
	pd := pageData{Title: dp.titleMark, CSRF: dp.mark, Data: template.HTML(dp.contentMark), Notice: key.notice}
	if p := who(c); p != nil {
		pd.User = &p.User
	}
	var buf bytes.Buffer
	if err := s.pages[drawnLayout].ExecuteTemplate(&buf, "layout", pd); err != nil {
		return frame{}, fmt.Errorf("ui: frame: %w", err)
	}
	head, rest, okTitle := bytes.Cut(buf.Bytes(), []byte(dp.titleMark))
	middle, tail, okContent := bytes.Cut(rest, []byte(dp.contentMark))
	if !okTitle || !okContent {
		return frame{}, fmt.Errorf("ui: the layout lost the title or the content")
	}
	mark := []byte(dp.mark)
	f = frame{head: bytes.Split(head, mark), middle: bytes.Split(middle, mark), tail: bytes.Split(tail, mark)}
	dp.mu.Lock()
	if len(dp.frames) >= framesMax {
		clear(dp.frames)
	}
	dp.frames[key] = f
	dp.mu.Unlock()
	return f, nil
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
		return drawing{parts: [][]byte{b}, size: len(b)}, err
	})
	if err != nil {
		return err
	}
	if len(d.parts) != 1 {
		return fmt.Errorf("ui: kept answer %s in %d parts", key.page, len(d.parts))
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

// drawnAt names the drawing of page for entity id with params (the query parameters the
// page reads, normalised), as the account of st sees it, and the stamp it is kept under.
func (s *Server) drawnAt(page string, id int64, params string, st relocation.Stamp) (drawnKey, string) {
	key := drawnKey{page: page, id: id, variant: rightsVariant(st.Admin, st.Writes) + "?" + params}
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
	return s.render(c, key.page, pageData{Title: title, Data: data})
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
