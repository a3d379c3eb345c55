package relocation

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/jmoiron/sqlx"
)

// Roles of an account, from the most to the least powerful. The rights they give over
// relocations are decided here, in rightsFrom and rightsOf (from what rightsColumns
// reads), and nowhere else: actions (authorize, the lock statement) and the stamps pages
// are drawn from (StampOf) both go through them.
const (
	RoleAdmin   = "admin"   // everything, accounts included
	RoleManager = "manager" // reads all, changes the relocations assigned to them
	RoleViewer  = "viewer"  // reads all internal data
)

var roles = []string{RoleViewer, RoleManager, RoleAdmin}

// Roles returns the roles in the order forms offer them, least powerful first (a copy).
func Roles() []string { return slices.Clone(roles) }

// IsRole reports whether role is one of Roles.
func IsRole(role string) bool { return slices.Contains(roles, role) }

// Actor is who makes a change: an account (UserID, named in the journal by Name), or
// the program itself (the demo loader, the command line), made by System.
type Actor struct {
	UserID int64  // the account acting; 0 for the program
	Name   string // how the journal and the planned-date history name them
	system bool
}

// System returns the program acting on its own (the demo loader, say): it may change
// everything. Requests always act as an account.
func System(name string) Actor { return Actor{Name: name, system: true} }

// rights is what an actor may do, as the database says at the time of the action.
type rights struct {
	admin   bool // every relocation, and its managers
	creator bool // may open a relocation
	writes  bool // may change the relocation in question
}

// authorize reads, inside the action's transaction, what by may do with relocation
// relocationID (0: none yet, a creation). EUNAUTHORIZED when the account no longer
// exists or is disabled.
func authorize(ctx context.Context, q sqlx.QueryerContext, by Actor, relocationID int64) (rights, error) {
	if by.system {
		return rights{admin: true, creator: true, writes: true}, nil
	}
	var row struct {
		Role     string `db:"role"`
		Disabled bool   `db:"disabled"`
		Assigned bool   `db:"assigned"`
	}
	err := sqlx.GetContext(ctx, q, &row, `SELECT `+rightsColumns("u", "$2")+` FROM users u WHERE u.id = $1`,
		by.UserID, relocationID)
	if errors.Is(err, sql.ErrNoRows) {
		return rights{}, errNoAccount
	}
	if err != nil {
		return rights{}, DBError("rights: read", err, "")
	}
	return rightsFrom(by, &row.Role, &row.Disabled, row.Assigned)
}

// errNoAccount refuses an actor whose account no longer exists or is disabled.
var errNoAccount = Errorf(EUNAUTHORIZED, "Ce compte n’existe plus ou a été désactivé.")

// rightsFrom gives the rights of by from what rightsColumns read (role and disabled nil:
// no such account): the program may do everything; EUNAUTHORIZED for an account that
// no longer exists or is disabled.
func rightsFrom(by Actor, role *string, disabled *bool, assigned bool) (rights, error) {
	switch {
	case by.system:
		return rights{admin: true, creator: true, writes: true}, nil
	case role == nil || disabled == nil || *disabled:
		return rights{}, errNoAccount
	}
	return rightsOf(*role, assigned), nil
}

// RequireAdmin refuses (EFORBIDDEN, EUNAUTHORIZED for a disabled or deleted account)
// unless by is an enabled administrator, or the program, as read over q: account actions
// call it inside their transaction, so that no caller can skip it.
func RequireAdmin(ctx context.Context, q sqlx.QueryerContext, by Actor) error {
	rs, err := authorize(ctx, q, by, 0)
	if err != nil {
		return err
	}
	return rs.refusal(func(r rights) bool { return r.admin }, errNotAdmin)
}

// rightsColumns reads what rights depend on — role, disabled, assigned — of the account
// aliased user, for the relocation whose id is the SQL expression relocation: the one
// query of rights, which authorize and the stamps share.
func rightsColumns(user, relocation string) string {
	return user + `.role, ` + user + `.disabled, EXISTS (SELECT 1 FROM relocation_managers m
		WHERE m.user_id = ` + user + `.id AND m.relocation_id = ` + relocation + `) AS assigned`
}

// rightsOf gives the rights of an enabled account of role, assigned or not to the
// relocation in question.
func rightsOf(role string, assigned bool) rights {
	admin := role == RoleAdmin
	manager := role == RoleManager
	return rights{admin: admin, creator: admin || manager, writes: admin || (manager && assigned)}
}

// errNotAssigned and errReadOnly are the refusals of authorize's rights.
var (
	errNotAssigned = Errorf(EFORBIDDEN, "Vous n’êtes pas responsable de ce projet : demandez à un administrateur de vous l’attribuer.")
	errReadOnly    = Errorf(EFORBIDDEN, "Votre compte est en lecture seule.")
	errNotCreator  = Errorf(EFORBIDDEN, "Seuls les responsables de projet et les administrateurs créent des projets.")
	errNotAdmin    = Errorf(EFORBIDDEN, "Réservé aux administrateurs.")
)

// MayCreate says whether an enabled account of role may open a relocation: nil, or the
// refusal actNew would give (the one rule, read by the pages to offer the button).
func MayCreate(role string) error {
	return rightsOf(role, false).refusal(func(r rights) bool { return r.creator }, errNotCreator)
}

// MayWrite says whether the account may change relocation relocationID, for drawing
// buttons and forms: nil, or the EFORBIDDEN/EUNAUTHORIZED refusal an action would give.
// The actions themselves check again inside their transaction.
func MayWrite(ctx context.Context, db *sqlx.DB, by Actor, relocationID int64) error {
	r, err := authorize(ctx, db, by, relocationID)
	if err != nil {
		return err
	}
	return r.refusal(func(r rights) bool { return r.writes }, errNotAssigned)
}

// refusal returns nil when ok(r), else why not: read-only accounts are told so.
func (r rights) refusal(ok func(rights) bool, refusal error) error {
	switch {
	case ok(r):
		return nil
	case !r.creator:
		return errReadOnly
	}
	return refusal
}
