package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// Request bodies are streamed (fasthttp's StreamRequestBody): fasthttp reads a header
// and at most 8 KiB of what follows, never the length a client declares. A body of at
// most eagerBodyLimit, or on a route taking no more, is read before the routes
// (readEarly), as Fiber expects. A larger one, or a chunked one on a route taking more,
// is deferred: guardServer hides its length from fasthttp (set to 0, so that fasthttp
// reads nothing of it), and readPending gives it back and reads the body once the
// caller is known and allowed to send it, within its route's limit, while an upload
// slot is free (uploadGate). fasthttp's body stream reads the header's length at each
// read, which is what lets the length be given back.
const (
	eagerBodyLimit = 64 << 10
	// Uploads larger than eagerBodyLimit read at once: per account, and in all.
	uploadsPerAccount = 2
	uploadsInAll      = 8
	// localDeferred holds the declared length of a deferred body until it is read.
	localDeferred = "deferred_body"
)

// readEarly reads, before any route, a body small enough to read for anyone, refuses
// one declared over its route's limit (413, before a byte is read), and marks a deferred
// one for readPending.
func readEarly(rc *fasthttp.RequestCtx, req refusedRequest) error {
	switch {
	case req.early != nil:
		rc.SetConnectionClose() // the body, unread, follows on the connection
		return req.early
	case req.deferred != 0:
		rc.SetUserValue(localDeferred, req.deferred)
		return nil
	case !rc.Request.IsBodyStream():
		return nil
	}
	if req.limit == nil { // a body the header did not declare: its route's limit, now
		limit := bodyLimitOf(string(rc.Method()), headerPath(&rc.Request.Header))
		req.limit = &limit
	}
	return readBody(rc, *req.limit)
}

// readBody reads the request's body stream whole, up to limit, and makes it the body.
func readBody(rc *fasthttp.RequestCtx, limit bodyLimit) error {
	var b bytes.Buffer
	if cl := rc.Request.Header.ContentLength(); cl > 0 {
		b.Grow(cl + bytes.MinRead) // ReadFrom wants MinRead free before its last read: without it, it doubles the buffer
	}
	n, err := b.ReadFrom(io.LimitReader(rc.Request.BodyStream(), int64(limit.max)+1))
	if err != nil {
		rc.SetConnectionClose()
		rc.Request.SetBodyRaw(nil)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return fiber.ErrRequestTimeout
		}
		return fiber.ErrBadRequest // a malformed chunked body, a connection cut short
	}
	if n > int64(limit.max) {
		rc.SetConnectionClose()
		rc.Request.SetBodyRaw(nil)
		return fiber.ErrRequestEntityTooLarge
	}
	rc.Request.SetBodyRaw(b.Bytes())
	return nil
}

// readPending reads a deferred body (readEarly), once the caller is known (authenticate
// ran): an anonymous caller's is never read (the request goes on with an empty body,
// refused by its route, and the connection is closed); a roster's only when the caller
// may change the relocation; any only while the account and the server have an upload
// slot free (429, 503). The request's deadline starts again once the body is in: a slow
// line does not eat the time of the work.
func (s *Server) readPending(c *fiber.Ctx) error {
	rc := c.Context()
	declared, ok := rc.UserValue(localDeferred).(int)
	if !ok {
		return c.Next()
	}
	p := who(c)
	if p == nil {
		return c.Next() // guardServer closes the connection
	}
	if id, ok := rosterTarget(c.Method(), c.Path()); ok {
		if err := s.mayWrite(c, id); err != nil {
			return err
		}
	}
	release, err := s.uploads.acquire(p.User.ID)
	if err != nil {
		return err
	}
	defer release()
	rc.RemoveUserValue(localDeferred)
	rc.Request.Header.SetContentLength(declared)
	if err := readBody(rc, bodyLimitOf(c.Method(), c.Path())); err != nil {
		return err
	}
	return s.nextWithin(c, context.WithoutCancel(c.UserContext())) // the time reading the body took is not the database's
}

// rosterTarget returns the relocation whose roster a request would replace.
func rosterTarget(method, path string) (int64, bool) {
	var prefix string
	switch {
	case method == fiber.MethodPut && oneSegmentBetween(path, "/api/v1/relocations/", "/agents"):
		prefix = "/api/v1/relocations/"
	case method == fiber.MethodPost && oneSegmentBetween(path, "/projets/", "/agents"):
		prefix = "/projets/"
	default:
		return 0, false
	}
	id, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(path, prefix), "/"), "/agents"), 10, 64)
	return id, err == nil && id > 0
}

// uploadGate counts the large uploads being read and worked on, per account and in all.
type uploadGate struct {
	mu        sync.Mutex
	all       int
	byAccount map[int64]int
}

// acquire takes an upload slot for account accountID, or refuses: 429 when the account has
// uploadsPerAccount in flight, 503 when the server has uploadsInAll. release frees it.
func (g *uploadGate) acquire(accountID int64) (release func(), err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.byAccount[accountID] >= uploadsPerAccount:
		return nil, relocation.Errorf(account.ETOOMANY, "Vous avez déjà %d envois de fichiers en cours : attendez qu’ils finissent.", uploadsPerAccount)
	case g.all >= uploadsInAll:
		return nil, relocation.Errorf(relocation.EUNAVAILABLE, "Trop d’envois de fichiers en cours sur le service : réessayez dans un instant.")
	}
	if g.byAccount == nil {
		g.byAccount = map[int64]int{}
	}
	g.all++
	g.byAccount[accountID]++
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.all--
			if g.byAccount[accountID]--; g.byAccount[accountID] == 0 {
				delete(g.byAccount, accountID)
			}
		})
	}, nil
}
