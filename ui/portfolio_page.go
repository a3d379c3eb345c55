package ui

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// portfolioPage is the body of the portfolio.
type portfolioPage struct {
	Rows      []portfolioRow
	CanCreate bool
	Filter    portfolioFilter
	Page      int
	Pages     []int // every page number, for the pagination
	Last      int
	Total     int
	Timeline  template.HTML // every listed relocation's target move on one time axis
}

// portfolioRow is one relocation of the portfolio.
type portfolioRow struct {
	relocation.PortfolioRow
	Late bool // its next milestone is past its planned end
}

// portfolioPageSize is how many relocations a portfolio page lists.
const portfolioPageSize = 50

// portfolioSearchMax is the longest search kept, in characters (a longer one is cut).
const portfolioSearchMax = 100

// portfolioFilter is what the portfolio's GET form asks, as read from the URL:
// ?q=words&statut=announced&retard=1&mes=1. Unknown values are ignored, never refused:
// the form only offers valid ones.
type portfolioFilter struct {
	Search string // q
	Status string // statut, "" for all
	Late   bool   // retard=1
	Mine   bool   // mes=1: the relocations the account manages
}

// readPortfolioFilter reads the filter from the request's query.
func readPortfolioFilter(c *fiber.Ctx) portfolioFilter {
	f := portfolioFilter{
		Search: strings.Join(strings.Fields(c.Query("q")), " "),
		Status: c.Query("statut"),
		Late:   c.Query("retard") == "1",
		Mine:   c.Query("mes") == "1",
	}
	if !relocation.IsStatus(f.Status) {
		f.Status = ""
	}
	if !utf8.ValidString(f.Search) {
		f.Search = strings.ToValidUTF8(f.Search, "")
	}
	if r := []rune(f.Search); len(r) > portfolioSearchMax {
		f.Search = string(r[:portfolioSearchMax])
	}
	return f
}

// Any reports whether the filter selects less than every relocation.
func (f portfolioFilter) Any() bool { return f.Search != "" || f.Status != "" || f.Late || f.Mine }

// query writes the filter as URL query parameters (without the page).
func (f portfolioFilter) query() url.Values {
	v := url.Values{}
	if f.Search != "" {
		v.Set("q", f.Search)
	}
	if f.Status != "" {
		v.Set("statut", f.Status)
	}
	if f.Late {
		v.Set("retard", "1")
	}
	if f.Mine {
		v.Set("mes", "1")
	}
	return v
}

// PageHref is the address of page n of the portfolio with this filter.
func (f portfolioFilter) PageHref(n int) template.URL {
	v := f.query()
	v.Set("page", strconv.Itoa(n))
	return template.URL("/?" + v.Encode())
}

// ExportHref is the address of the portfolio's export in format ext (csv, xlsx) with
// this filter.
func (f portfolioFilter) ExportHref(ext string) template.URL {
	href := "/portefeuille." + ext
	if q := f.query().Encode(); q != "" {
		href += "?" + q
	}
	return template.URL(href)
}

// store returns the filter as the store reads it, for the account of c.
func (f portfolioFilter) store(c *fiber.Ctx, today relocation.Date) relocation.PortfolioFilter {
	out := relocation.PortfolioFilter{Status: f.Status, Search: f.Search, Late: f.Late, Today: today}
	if f.Mine {
		out.ManagedBy = -1 // nobody: a token or a visitor manages nothing
		if p := who(c); p != nil {
			out.ManagedBy = p.User.ID
		}
	}
	return out
}

// pagePortfolio lists the relocations (50 a page) that the filter selects, with their
// status, target move, next milestone and worst slip, computed in one statement, and
// their target moves on a timeline.
func (s *Server) pagePortfolio(c *fiber.Ctx) error {
	f := readPortfolioFilter(c)
	page := max(1, c.QueryInt("page", 1))
	changes, err := s.store.ChangeCount(c.UserContext())
	if err != nil {
		return err
	}
	canCreate := s.mayCreateRelocation(c) == nil
	variant := fmt.Sprintf("%t?%s&page=%d", canCreate, f.query().Encode(), page)
	if f.Mine {
		variant += fmt.Sprintf("&account=%d", f.store(c, relocation.Date{}).ManagedBy)
	}
	key := drawnKey{Page: "portfolio", Variant: variant}
	// The first pages without a search are kept; the others, rarer (and a search, which
	// a visitor could vary without end), are drawn for their request.
	keep := page <= 10 && f.Search == ""
	today := s.today()
	return s.drawnUnlessRare(c, keep, key, fmt.Sprintf("%d.%s", changes, today), func() (string, any, error) {
		rows, err := s.store.Portfolio(c.UserContext(), f.store(c, today), portfolioPageSize, (page-1)*portfolioPageSize)
		if err != nil {
			return "", nil, err
		}
		p := portfolioPage{CanCreate: canCreate, Filter: f, Page: page}
		for _, r := range rows {
			p.Rows = append(p.Rows, portfolioRow{PortfolioRow: r,
				Late: r.NextOverdue(today)})
			p.Total = r.Total
		}
		p.Last = max(1, (p.Total+portfolioPageSize-1)/portfolioPageSize)
		for n := 1; n <= p.Last && p.Total > portfolioPageSize; n++ {
			p.Pages = append(p.Pages, n)
		}
		p.Timeline = portfolioTimelineSVG(p.Rows, today)
		return "Portefeuille des relocalisations", p, nil
	})
}
