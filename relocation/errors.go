package relocation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
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

// FieldError names one refused field (by its API name) and why, in French.
type FieldError struct {
	Field   string `json:"field"`
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

// DBError turns a database failure into an *Error where one applies, wrapped with the
// operation: no rows → ENOTFOUND (with notFound as message), a unique violation →
// ECONFLICT, a constraint violation → EINVALID, an unreachable or slow database →
// EUNAVAILABLE. Other errors are only wrapped (and so EINTERNAL).
func DBError(op string, err error, notFound string) error {
	if err == nil {
		return nil
	}
	var coded *Error
	if errors.As(err, &coded) {
		return err
	}
	var state interface{ SQLState() string }
	var netErr net.Error
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Errorf(ENOTFOUND, "%s", notFound)
	case errors.As(err, &state):
		code := state.SQLState() + "  "
		switch class := code[:2]; {
		case code[:5] == "23505":
			return fmt.Errorf("%s: %w: %w", op, Errorf(ECONFLICT, "Cette valeur est déjà utilisée par une autre fiche."), err)
		case code[:5] == "23503":
			return fmt.Errorf("%s: %w: %w", op, Errorf(ECONFLICT, "Cette fiche est liée à une autre qui n'existe pas ou plus."), err)
		case class == "40": // deadlock or serialization failure: another change won
			return fmt.Errorf("%s: %w: %w", op, Errorf(ECONFLICT, "Une autre modification est passée au même moment : réessayez."), err)
		case class == "23" || class == "22" || class == "54":
			return fmt.Errorf("%s: %w: %w", op, Errorf(EINVALID, "Une valeur est refusée par la base de données."), err)
		case class == "08" || class == "53" || class == "57":
			return fmt.Errorf("%s: %w: %w", op, errUnavailable, err)
		}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, sql.ErrConnDone), errors.As(err, &netErr):
		return fmt.Errorf("%s: %w: %w", op, errUnavailable, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}
