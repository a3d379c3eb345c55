package ui

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/ministere/tracker/relocation"
)

// Limits of request bodies, per route, applied as soon as the request's header is read
// (readEarly): a Content-Length over the route's limit is answered 413 before a byte of
// the body is read, and a chunked body is read only up to it. When and for whom a body
// within its limit is read: body.go.
const (
	defaultBodyLimit = 1 << 20                  // 1 MiB: JSON bodies and forms
	loginBodyLimit   = 64 << 10                 // the login form: an email, a password, a token, next
	rosterBodyLimit  = 8 << 20                  // a roster file, PUT /api/v1/relocations/{id}/agents (SPEC)
	rosterFormLimit  = rosterBodyLimit + 64<<10 // the roster upload form: the file and the form's fields
	// rosterReadTimeout is the time a roster route leaves the client to send its body (8
	// MiB on a slow line); every other request has the server's ReadTimeout.
	rosterReadTimeout = 5 * time.Minute
)

// bodyLimit is a route's largest body and what its 413 says.
type bodyLimit struct {
	max         int
	readTimeout time.Duration // 0: the server's
	detail      string
}

var (
	defaultLimit = bodyLimit{max: defaultBodyLimit, detail: "Le corps de la requête dépasse 1 Mio."}
	loginLimit   = bodyLimit{max: loginBodyLimit, detail: "Le formulaire de connexion dépasse 64 Kio."}
	rosterLimit  = bodyLimit{max: rosterBodyLimit, readTimeout: rosterReadTimeout,
		detail: "Le fichier des agents dépasse 8 Mio, la taille permise (100\u00a0000 agents au plus) : découpez-le ou retirez les colonnes inutiles."}
	rosterFormBodyLimit = bodyLimit{max: rosterFormLimit, readTimeout: rosterReadTimeout, detail: rosterLimit.detail}
)

// bodyLimitOf returns the body limit of a request, by its method and path as Fiber routes
// them (case-sensitive, one optional trailing slash).
func bodyLimitOf(method, path string) bodyLimit {
	switch {
	case method == fiber.MethodPut && oneSegmentBetween(path, "/api/v1/relocations/", "/agents"):
		return rosterLimit
	case method == fiber.MethodPost && oneSegmentBetween(path, "/projets/", "/agents"):
		return rosterFormBodyLimit
	case method == fiber.MethodPost && strings.TrimSuffix(path, "/") == "/login":
		return loginLimit
	}
	return defaultLimit
}

// oneSegmentBetween reports whether path is prefix, one non-empty segment, then suffix
// (and at most one trailing slash): how Fiber matches "/prefix/:id/suffix".
func oneSegmentBetween(path, prefix, suffix string) bool {
	rest, ok := strings.CutPrefix(strings.TrimSuffix(path, "/"), prefix)
	if !ok {
		return false
	}
	id, ok := strings.CutSuffix(rest, suffix)
	return ok && id != "" && !strings.Contains(id, "/")
}

// refusedRequest is what the error handler knows of a request that fasthttp refused
// below the routes, where Fiber's context may no longer hold it: fasthttp resets the
// request when reading its body fails, and never parsed it when its header was
// malformed. path is "" when unknown.
type refusedRequest struct {
	method, path string
	early        error      // the body's refusal, known from the header (413)
	deferred     int        // the declared length (-1: chunked) of a body read after authentication
	limit        *bodyLimit // its route's body limit, when the header declared a body
}

// localRefused holds the refusedRequest of a refusal made below the routes.
const localRefused = "refused_request"

// lowLevel keeps the requests whose body is being read, by their header (one per
// connection, reused), so that a refusal while reading the body still knows the route.
type lowLevel struct {
	reading sync.Map // *fasthttp.RequestHeader → refusedRequest
}

// guardServer makes the refusals made below Fiber's router keep the house rules: body
// limits per route, applied before the body is read; an unknown method (405), a Host
// that would change the path Fiber routes (400) or a compressed body (415) refused
// before any route; and every refusal of fasthttp itself (a malformed request line or
// header, bad chunked encoding, a body or header too large) answered by errorHandler,
// with the security headers, as problem+json under /api/.
func (s *Server) guardServer(app *fiber.App) {
	srv := app.Server()
	srv.HeaderReceived = func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		cl := h.ContentLength()
		if cl == 0 || cl == -2 { // no body: the server's defaults
			return fasthttp.RequestConfig{}
		}
		method, path := string(h.Method()), headerPath(h)
		req := refusedRequest{method: method, path: path}
		limit := bodyLimitOf(method, path)
		req.limit = &limit
		// A body not to be read now is hidden from fasthttp (its length set to 0), which
		// would otherwise wait for its first 8 KiB before the handler: body.go.
		switch {
		case cl > limit.max:
			req.early = fiber.ErrRequestEntityTooLarge
			h.SetContentLength(0)
		case limit.max > eagerBodyLimit && (cl > eagerBodyLimit || cl == -1):
			req.deferred = cl
			h.SetContentLength(0)
		}
		s.low.reading.Store(h, req)
		return fasthttp.RequestConfig{MaxRequestBodySize: limit.max, ReadTimeout: limit.readTimeout}
	}
	route := srv.Handler
	srv.Handler = func(rc *fasthttp.RequestCtx) {
		held, _ := s.low.reading.LoadAndDelete(&rc.Request.Header)
		req, _ := held.(refusedRequest)
		err := screenRequest(rc)
		if err == nil {
			err = readEarly(rc, req)
		}
		if err != nil {
			c := app.AcquireCtx(rc)
			defer app.ReleaseCtx(c)
			rc.SetUserValue(localRefused, refusedRequest{method: string(rc.Method()), path: targetPath(rc.Request.Header.RequestURI())})
			_ = s.errorHandler(c, err)
			rc.RemoveUserValue(localRefused)
			return
		}
		route(rc)
		if rc.UserValue(localDeferred) != nil {
			rc.SetConnectionClose() // a body left unread is not the next request
			rc.RemoveUserValue(localDeferred)
		}
	}
	fiberErrors := srv.ErrorHandler // Fiber's: maps fasthttp's errors to fiber.Error, calls errorHandler
	srv.ErrorHandler = func(rc *fasthttp.RequestCtx, err error) {
		req, reading := s.low.reading.LoadAndDelete(&rc.Request.Header)
		if !reading {
			// The header could not be read: only fasthttp's message quotes its start.
			req = refusedRequest{path: targetInError(err)}
		}
		rc.SetUserValue(localRefused, req)
		fiberErrors(rc, err)
		rc.RemoveUserValue(localRefused) // the context serves other connections next
	}
}

// screenRequest refuses, before any route, what the router would misread: an unknown
// method, a Host header that would change the routed path (fasthttp builds the URI
// from Host and target: "Host: x?y" routes every request to "/"), and a compressed
// body (Fiber would inflate it in memory without limit).
func screenRequest(rc *fasthttp.RequestCtx) error {
	if !knownMethods[string(rc.Method())] {
		return fiber.ErrMethodNotAllowed
	}
	if !validHost(rc.Request.Header.Host()) {
		return relocation.Errorf(relocation.EBADREQUEST, "L’en-tête Host de la requête est invalide.")
	}
	if msg := badFraming(rc.Request.Header.RawHeaders(), rc.Request.Header.IsGet() || rc.Request.Header.IsHead()); msg != "" {
		// fasthttp took one reading of the body (chunked first, else the last length); a
		// proxy in front may have taken another: what follows on this connection is not
		// to be trusted (RFC 9112 § 6.3).
		rc.SetConnectionClose()
		return relocation.Errorf(relocation.EBADREQUEST, "%s", msg)
	}
	if ce := bytes.TrimSpace(rc.Request.Header.Peek(fiber.HeaderContentEncoding)); len(ce) > 0 && !bytes.EqualFold(ce, []byte("identity")) {
		return relocation.Errorf(relocation.EMEDIATYPE, "Les corps compressés (Content-Encoding) ne sont pas acceptés : envoyez le corps tel quel.")
	}
	return nil
}

// validHost reports whether a Host header is a host name or address with an optional
// port (RFC 3986 reg-name, IP literal), or empty.
func validHost(host []byte) bool {
	for _, b := range host {
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case strings.IndexByte("-._~!$&'()*+,;=:[]", b) >= 0: // no '%': no escapes in a host name
		default:
			return false
		}
	}
	return true
}

// headerPath returns the path Fiber will route a request by (fasthttp's URI of the
// Host and request target), or "" when the Host is invalid (refused anyway).
func headerPath(h *fasthttp.RequestHeader) string {
	if !validHost(h.Host()) {
		return ""
	}
	u := fasthttp.AcquireURI()
	defer fasthttp.ReleaseURI(u)
	if err := u.Parse(h.Host(), h.RequestURI()); err != nil {
		return ""
	}
	return string(u.PathOriginal())
}

// targetPath returns the path of an origin-form request target ("/a/b?c" → "/a/b"), or
// "" for any other form.
func targetPath(target []byte) string {
	if len(target) == 0 || target[0] != '/' {
		return ""
	}
	if i := bytes.IndexAny(target, "?#"); i >= 0 {
		target = target[:i]
	}
	return string(target)
}

// targetInError returns the path of the request target that fasthttp quotes in the
// error of a header it could not read ("… contents: \"GET /api/v1/x HTTP/1.1\r\n…\""),
// or "" when the error quotes none.
func targetInError(err error) string {
	_, quoted, ok := strings.Cut(err.Error(), "contents: ")
	if !ok {
		return ""
	}
	q, perr := strconv.QuotedPrefix(quoted)
	if perr != nil {
		return ""
	}
	prefix, perr := strconv.Unquote(q)
	if perr != nil {
		return ""
	}
	line, _, _ := strings.Cut(prefix, "\n")
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return ""
	}
	return targetPath([]byte(fields[1]))
}
