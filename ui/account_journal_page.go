package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/ui/account"
)

// accountJournalPageSize is how many audit entries the account journal shows a page.
const accountJournalPageSize = 50

// accountJournalPage is one page of the account audit, newest first.
type accountJournalPage struct {
	Entries []account.AuditEntry
	journalPages
}

// pageAccountJournal shows the account audit to administrators, page ?page= (1 = newest;
// out of range is brought back to the nearest page).
func (s *Server) pageAccountJournal(c *fiber.Ctx) error {
	total, err := s.accounts.AuditCount(c.UserContext())
	if err != nil {
		return err
	}
	p := accountJournalPage{journalPages: newJournalPages(total, accountJournalPageSize, c.QueryInt("page", 1),
		"page", "", "Pages du journal des comptes")}
	if p.Entries, err = s.accounts.Audit(c.UserContext(), accountJournalPageSize, p.offset()); err != nil {
		return err
	}
	return s.render(c, "account_journal", pageData{Title: "Journal des comptes", Data: p})
}
