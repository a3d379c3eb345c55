package ui

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// statusOf maps an error code to its HTTP status: the one place that does.
var statusOf = map[string]int{
	relocation.EBADREQUEST:   fiber.StatusBadRequest,
	relocation.EUNAUTHORIZED: fiber.StatusUnauthorized,
	relocation.EFORBIDDEN:    fiber.StatusForbidden,
	relocation.ENOTFOUND:     fiber.StatusNotFound,
	relocation.ECONFLICT:     fiber.StatusConflict,
	relocation.EPRECONDITION: fiber.StatusPreconditionFailed,
	relocation.ETOOLARGE:     fiber.StatusRequestEntityTooLarge,
	relocation.EMEDIATYPE:    fiber.StatusUnsupportedMediaType,
	relocation.EINVALID:      fiber.StatusUnprocessableEntity,
	relocation.EPRECONDREQ:   fiber.StatusPreconditionRequired,
	relocation.EUNAVAILABLE:  fiber.StatusServiceUnavailable,
	account.ETOOMANY:         fiber.StatusTooManyRequests,
	relocation.EINTERNAL:     fiber.StatusInternalServerError,
}

// titles are the French titles of the problems this server answers.
var titles = map[int]string{
	400: "Requête mal formée",
	401: "Authentification requise",
	403: "Accès refusé",
	404: "Introuvable",
	405: "Méthode non autorisée",
	408: "Délai de requête dépassé",
	409: "Conflit",
	412: "Version périmée",
	413: "Requête trop volumineuse",
	415: "Type de contenu non pris en charge",
	422: "Valeurs invalides",
	428: "En-tête If-Match requis",
	429: "Trop de requêtes",
	431: "En-têtes de requête trop volumineux",
	500: "Erreur interne",
	503: "Service indisponible",
}

// problem is an RFC 9457 problem details body.
type problem struct {
	Type     string                  `json:"type"`
	Title    string                  `json:"title"`
	Status   int                     `json:"status"`
	Detail   string                  `json:"detail,omitempty"`
	Instance string                  `json:"instance,omitempty"`
	Errors   []relocation.FieldError `json:"errors,omitempty"`
}

// errorHandler writes every error response: problem+json for the API, an HTML page
// otherwise. Internal errors are logged with the request id and shown as a generic
// message; nothing of a driver or a stack reaches the client.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	// Fiber answers some errors (a body over the limit, headers too large, an unknown
	// method) before any middleware ran: the security headers and a request id must
	// still be there.
	s.setSecurityHeaders(c)
	if len(c.Response().Header.Peek(fiber.HeaderXRequestID)) == 0 {
		c.Set(fiber.HeaderXRequestID, randomToken(8))
	}
	// A request refused below the routes (guardServer) is judged by what fasthttp read of
	// it: its path may be unknown, and Fiber's may be another's.
	method, path := c.Method(), c.Path()
	if r, ok := c.Locals(localRefused).(refusedRequest); ok {
		method, path = r.method, r.path
	}
	status, detail, fields := s.describe(err, method, path)
	if status >= 500 {
		s.logger(c).Error("request failed", "status", status, "error", logText(err))
	}
	if status == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, "2") // seconds: the database or a busy relocation
	}
	title := titles[status]
	if title == "" {
		title = "Erreur"
	}
	c.Status(status)
	if wantsJSON(c, path) {
		c.Set(fiber.HeaderContentType, "application/problem+json; charset=utf-8")
		body, _ := jsonMarshal(problem{Type: "about:blank", Title: title, Status: status,
			Detail: detail, Instance: path, Errors: fields})
		return c.Send(body)
	}
	return s.render(c, "error", pageData{Title: title, Data: errorPage{Status: status, Title: title, Detail: detail}})
}

// describe returns the status, the French detail and the field errors of err, made by a
// request of method on path.
func (s *Server) describe(err error, method, path string) (int, string, []relocation.FieldError) {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		switch fe.Code {
		case fiber.StatusNotFound:
			return fe.Code, "Cette page ou cette ressource n’existe pas.", nil
		case fiber.StatusMethodNotAllowed:
			return fe.Code, "Cette méthode n’est pas permise sur cette adresse.", nil
		case fiber.StatusRequestEntityTooLarge:
			return fe.Code, bodyLimitOf(method, path).detail, nil // fasthttp refused the body: the route says why
		case fiber.StatusRequestTimeout:
			// fasthttp's read deadline: the client did not send its request in time (a
			// deadline on the database's side is a 503, from relocation.DBError).
			return fe.Code, "La requête n’est pas arrivée en entier dans le délai permis.", nil
		}
		if fe.Code >= 400 && fe.Code < 500 {
			return fe.Code, "La requête n’a pas pu être lue.", nil
		}
		return fiber.StatusInternalServerError, relocation.ErrorMessage(err), nil
	}
	code := relocation.ErrorCode(err)
	status := statusOf[code]
	var e *relocation.Error
	if errors.As(err, &e) {
		return status, e.Message, e.Fields
	}
	return status, relocation.ErrorMessage(err), nil
}

// logText is what the log says of an error: never a database driver's message, which
// may quote the values a user sent, but its SQLSTATE code.
func logText(err error) string {
	text := err.Error()
	var driver interface {
		error
		SQLState() string
	}
	if errors.As(err, &driver) {
		text = strings.ReplaceAll(text, driver.Error(), "sqlstate "+driver.SQLState())
	}
	return text
}

// wantsJSON reports whether the error on path goes to an API client rather than a
// browser page.
func wantsJSON(c *fiber.Ctx, path string) bool {
	// A request refused before its request line could be read has no path to go by: a
	// browser never sends one, a program may.
	if path == "" || strings.HasPrefix(path, "/api/") || path == "/readyz" || path == "/healthz" {
		return true
	}
	return c.Accepts(fiber.MIMETextHTML, fiber.MIMEApplicationJSON) == fiber.MIMEApplicationJSON
}

// logger returns the request's logger (carrying its request id).
func (s *Server) logger(c *fiber.Ctx) *slog.Logger {
	if l, ok := c.Locals(localLogger).(*slog.Logger); ok {
		return l
	}
	return s.log
}

// knownMethods are the HTTP methods the router knows; Fiber answers any other with a
// bare « Invalid http method » before any middleware runs (screenRequest refuses them).
var knownMethods = map[string]bool{fiber.MethodGet: true, fiber.MethodHead: true, fiber.MethodPost: true,
	fiber.MethodPut: true, fiber.MethodPatch: true, fiber.MethodDelete: true, fiber.MethodOptions: true,
	fiber.MethodConnect: true, fiber.MethodTrace: true}
