package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// What agents see, most of them without an account: the public relocations, each one's
// page, calendar and news feed. A relocation is public when its visibility is public; an
// internal one answers 404 to anonymous visitors, exactly like an unknown slug, while a
// signed-in account sees it as a preview. Public answers carry ETag and Last-Modified and
// answer 304 to a matching conditional request.

// publicPage is the body of a relocation's public page.
type publicPage struct {
	View     relocation.PublicView
	Preview  bool // an internal relocation shown to an account
	Target   string
	Sure     string // « date prévisionnelle », « date fixée », « déménagement effectué »
	Moved    bool   // the move milestone is done: Target says « déménagé le … »
	Last     *relocation.Milestone
	Next     *relocation.Milestone
	NextLate bool
	Rows     []milestoneRow
	Timeline template.HTML
	Changed  string // « 2 décembre 2026 »
	Calendar string // the https URL of the calendar
	// Webcal is the calendar's address with the webcal:// scheme, which calendar clients
	// subscribe to; typed as a URL, since html/template would refuse the scheme of a string.
	Webcal  template.URL
	Feed    string
	PageURL string
}

// publicAnswer serves one public answer of :slug — kind "page", "calendar" or "feed" —
// as the request may see it, from one small query when it can: it reads what the answer
// depends on (the relocation's public change time, and today for pages), answers 404 to a
// visitor for an internal relocation, 304 when the client holds the answer, the answer
// kept for visitors when there is one, and otherwise draws it (preview: an internal
// relocation shown to an account).
func (s *Server) publicAnswer(c *fiber.Ctx, kind, contentType string, draw func(preview bool) ([]byte, error)) error {
	st, err := s.store.PublicStampOf(c.UserContext(), c.Params("slug"))
	if relocation.ErrorCode(err) == relocation.ENOTFOUND {
		return relocation.ErrNoPublicPage
	}
	if err != nil {
		return err
	}
	visitor := who(c) == nil
	preview := !st.IsPublic()
	if preview && visitor {
		return relocation.ErrNoPublicPage
	}
	stamp, modified := strconv.FormatInt(st.PublicChangedAt.UnixMicro(), 10), st.PublicChangedAt
	if kind == "page" { // « en retard », the next step and the timeline depend on today
		today := s.today()
		stamp += "-" + today.String()
		modified = latest(modified, startOfDay(today))
	}
	if s.notModified(c, kind+"-"+stamp, modified) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if !visitor { // an account's answer (a preview, perhaps) is drawn for it alone
		body, err := draw(preview)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, contentType)
		return c.Send(body)
	}
	// Visitors' answers are kept like drawn pages (drawn.go). An answer names its own
	// address (links, feed id): kept per scheme and host, so that a request with a forged
	// Host header never changes what other visitors get.
	return s.kept(c, drawnKey{Page: "public:" + kind, ID: st.ID, Variant: s.publicBase(c)}, stamp, contentType,
		func() ([]byte, error) { return draw(false) })
}

// pagePublic shows a relocation's public page: from one query when kept, three otherwise.
func (s *Server) pagePublic(c *fiber.Ctx) error {
	return s.publicAnswer(c, "page", fiber.MIMETextHTMLCharsetUTF8, func(preview bool) ([]byte, error) {
		v, ms, err := s.publicFacts(c)
		if err != nil {
			return nil, err
		}
		page := s.newPublicPage(c, v, ms, preview)
		return s.renderBytes(c, "public", pageData{Title: v.Name, Data: page, shared: true, Feed: page.Feed, Calendar: page.Calendar})
	})
}

// publicFacts reads the relocation of :slug and its public milestones, in one snapshot.
func (s *Server) publicFacts(c *fiber.Ctx) (relocation.PublicView, []relocation.Milestone, error) {
	var v relocation.PublicView
	var ms []relocation.Milestone
	err := s.snapshot(c, func(rd reader) error {
		var err error
		if v, err = rd.rel.PublicRelocation(c.UserContext(), c.Params("slug")); err != nil {
			return err
		}
		ms, err = rd.rel.PublicMilestones(c.UserContext(), v.ID)
		return err
	})
	return v, ms, err
}

// newPublicPage lays out a relocation's public page.
func (s *Server) newPublicPage(c *fiber.Ctx, v relocation.PublicView, ms []relocation.Milestone, preview bool) publicPage {
	today := s.today()
	page := publicPage{View: v, Preview: preview, Target: v.TargetMove.Label(), Changed: frenchDate(v.PublicChangedAt),
		Timeline: timelineSVG(ms, today)}
	page.Sure = "date prévisionnelle"
	switch {
	case relocation.MoveDone(ms) != nil:
		page.Target, page.Sure, page.Moved = "déménagé le "+relocation.MoveDone(ms).Label(), "déménagement effectué", true
	case v.Status == relocation.StatusMoved:
		page.Sure = "déménagement effectué"
	case v.TargetMove.Precision == relocation.PrecisionDay:
		page.Sure = "date fixée"
	}
	for i := range ms {
		m := ms[i]
		page.Rows = append(page.Rows, milestoneRow{Milestone: m, State: m.Status(today)})
		if !m.Actual.IsZero() && (page.Last == nil || !m.Actual.Before(page.Last.Actual)) {
			page.Last = &ms[i]
		}
	}
	if next, ok := relocation.NextMilestone(ms); ok {
		page.Next = &next
		page.NextLate = next.Status(today) == relocation.MilestoneOverdue
	}
	page.PageURL = s.publicBase(c) + "/r/" + v.Slug
	page.Calendar = page.PageURL + "/calendar.ics"
	page.Webcal = template.URL("webcal://" + strings.TrimPrefix(strings.TrimPrefix(page.Calendar, "https://"), "http://"))
	page.Feed = page.PageURL + "/feed.atom"
	return page
}

// publicListPage is the body of the list of public relocations.
type publicListPage struct {
	Items []relocation.PublicView
}

// pagePublicList lists the public relocations, soonest target move first.
func (s *Server) pagePublicList(c *fiber.Ctx) error {
	vs, err := s.store.PublicRelocations(c.UserContext())
	if err != nil {
		return err
	}
	modified := startOfDay(s.today())
	tag := "l-" + s.today().String()
	for _, v := range vs {
		modified = latest(modified, v.PublicChangedAt)
		tag += fmt.Sprintf("-%d.%d", v.ID, v.PublicChangedAt.UnixMicro())
	}
	if s.notModified(c, hashTag(tag), modified) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return s.render(c, "public_list", pageData{Title: "Relocalisations annoncées", Data: publicListPage{Items: vs}})
}

// notModified sets the validators of a public answer (ETag from tag, the viewer, the
// scheme and host and the look of the program; Last-Modified) and its cache policy, and
// reports whether the request already holds it: If-None-Match, when present, decides
// (weak comparison, RFC 9110 §13.1.2), else If-Modified-Since, for visitors only.
// Answers to an account are never stored (they may differ from the public's).
func (s *Server) notModified(c *fiber.Ctx, tag string, modified time.Time) bool {
	// A new look is a new answer; so is an account's (a preview, links for it) beside a
	// visitor's: a browser that signs in never keeps the visitor's copy. Answers name
	// their own address (links, feed id): one host's copy is not another's.
	account := who(c) != nil
	viewer := "v"
	if account {
		viewer = "a"
	}
	etag := `"` + tag + "-" + viewer + "-" + hashTag(s.publicBase(c))[:8] + "-" + s.look + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderLastModified, modified.UTC().Format(http.TimeFormat))
	if who(c) != nil {
		c.Set(fiber.HeaderCacheControl, "private, no-store")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, no-cache")
	}
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == etag || t == "*" {
				return true
			}
		}
		return false
	}
	// A date cannot tell a visitor's copy from an account's: an account is answered 304
	// on its ETag alone.
	if ims, err := http.ParseTime(c.Get(fiber.HeaderIfModifiedSince)); err == nil && !account {
		return !modified.Truncate(time.Second).After(ims)
	}
	return false
}

// publicBase is the scheme and host the public links name.
func (s *Server) publicBase(c *fiber.Ctx) string {
	scheme := "http"
	if s.secure(c) {
		scheme = "https"
	}
	return scheme + "://" + c.Hostname()
}

// startOfDay is the first instant of day d in Paris.
func startOfDay(d relocation.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, relocation.Paris)
}

// hashTag shortens a long entity tag to a digest.
func hashTag(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:12])
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
