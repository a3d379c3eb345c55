package relocation

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/lib/pq"
)

// Error codes: the only facts about a failure that callers act on. The web layer maps
// each to one HTTP status; the message of an *Error is French and safe to show.
const (
	ENOTFOUND     = "not_found"    // no such record
	EINVALID      = "invalid"      // values refused; Fields says which
	ECONFLICT     = "conflict"     // clashes with another record (duplicate slug…)
	EPRECONDITION = "precondition" // the caller's version is stale
	EUNAVAILABLE  = "unavailable"  // the database cannot be reached in time
	EINTERNAL     = "internal"     // a bug or an unexpected failure: never shown as is
	EFORBIDDEN    = "forbidden"    // the actor may not do this
	EUNAUTHORIZED = "unauthorized" // no or bad credentials
	ETOOLARGE     = "too_large"    // a body over its limit
	EMEDIATYPE    = "media_type"   // a body of the wrong content type
	EBADREQUEST   = "bad_request"  // a body that cannot be read at all
	EPRECONDREQ   = "precond_req"  // a write that needs If-Match and has none
)

// Error is a failure with a code and a French message safe to show to the user.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// FieldError names one refused field (by its API name) and why, in French; a refused
// file names the line and the column instead.
type FieldError struct {
	Field   string `json:"field,omitempty"`
	Line    int    `json:"line,omitempty"`   // 1 = the header line
	Column  string `json:"column,omitempty"` // the column's name in the header
	Message string `json:"message"`
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and formatted French message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error listing the refused fields.
func Invalid(fields ...FieldError) *Error {
	return &Error{Code: EINVALID, Message: "Certaines valeurs sont invalides.", Fields: fields}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the French message of an *Error, or a generic one for others.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Une erreur interne est survenue."
}

var errUnavailable = Errorf(EUNAVAILABLE, "La base de données ne répond pas, réessayez dans un instant.")

// Wrap returns err carrying the code and message of coded (for callers) and cause (for
// the log).
func Wrap(coded *Error, cause error) error { return fmt.Errorf("%w: %w", coded, cause) }

// uniqueViolations names the refusal of each unique constraint a user can break.
var uniqueViolations = map[string]*Error{
	"relocations_slug_key": {Code: ECONFLICT, Message: "Ce slug est déjà utilisé par un autre projet.",
		Fields: []FieldError{{Field: "slug", Message: "déjà utilisé par un autre projet"}}},
	"sites_one_selected": {Code: ECONFLICT, Message: "Un autre site est déjà retenu pour ce projet : changez d’abord son statut.",
		Fields: []FieldError{{Field: "status", Message: "un seul site retenu par projet"}}},
	"milestones_one_move": {Code: ECONFLICT, Message: "Ce projet a déjà un jalon de déménagement : c’est lui qui porte la date du déménagement, modifiez-le plutôt.",
		Fields: []FieldError{{Field: "kind", Message: "un seul jalon de déménagement par projet"}}},
	"users_email": {Code: ECONFLICT, Message: "Un compte utilise déjà cette adresse.",
		Fields: []FieldError{{Field: "email", Message: "déjà utilisée par un autre compte"}}},
}

// DBError turns a database failure into an *Error where one applies, wrapped with the
// operation; it is the one place that reads SQLSTATE codes:
//   - no rows → ENOTFOUND, with notFound as message;
//   - 23505 unique violation → the constraint's own refusal (uniqueViolations), else a
//     generic ECONFLICT;
//   - 23503 foreign key → ECONFLICT (the record it points to is gone);
//   - other 23 (check, not null), 22 (data), 54 (too large) → EINVALID;
//   - 40P01 deadlock, 40001 serialization failure → EUNAVAILABLE, retry (actions retry
//     them before they get here);
//   - 08, 53, 57 and network failures or timeouts → EUNAVAILABLE.
//
// Other errors are only wrapped (and so EINTERNAL).
func DBError(op string, err error, notFound string) error {
	if err == nil {
		return nil
	}
	var coded *Error
	if errors.As(err, &coded) {
		return err
	}
	var pqErr *pq.Error
	var netErr net.Error
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Errorf(ENOTFOUND, "%s", notFound)
	case errors.As(err, &pqErr):
		return fmt.Errorf("%s: %w", op, Wrap(sqlStateError(pqErr), err))
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, sql.ErrConnDone), errors.Is(err, driver.ErrBadConn), errors.As(err, &netErr):
		return fmt.Errorf("%s: %w", op, Wrap(errUnavailable, err))
	}
	return fmt.Errorf("%s: %w", op, err)
}

// sqlStateError is the refusal a PostgreSQL error gives the user (see DBError).
func sqlStateError(e *pq.Error) *Error {
	code := string(e.Code)
	switch class := e.Code.Class(); {
	case code == "23505":
		if known, ok := uniqueViolations[e.Constraint]; ok {
			return known
		}
		return Errorf(ECONFLICT, "Cette valeur est déjà utilisée par une autre fiche.")
	case code == "23503":
		return Errorf(ECONFLICT, "Cette fiche est liée à une autre qui n’existe plus : rechargez la page.")
	case code == "40P01", code == "40001":
		return ErrBusy
	case code == "0A000" && strings.Contains(e.Message, "cached plan"):
		return errUnavailable // a kept statement a schema change made stale: prepared anew next time
	case class == "23" || class == "22" || class == "54":
		return Errorf(EINVALID, "Une valeur est refusée par la base de données.")
	case class == "08" || class == "53" || class == "57":
		return errUnavailable
	}
	return Errorf(EINTERNAL, "Une erreur interne est survenue.")
}

// UnknownValue is the refusal of a value outside an allowed-values list, naming the list
// (the validator's oneof rules and the account roles say it alike).
func UnknownValue(values []string) string {
	return "valeur inconnue : choisir parmi " + strings.Join(values, ", ")
}
