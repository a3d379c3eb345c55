package ui

import "strconv"

// journalPages is where a page of a journal (newest first) stands among its pages, and
// how the page links to the others (the "journal-pages" template).
type journalPages struct {
	Page, Last int    // this page and the last one, 1 being the newest
	Query      string // the query parameter naming the page: "page", "journal"
	Anchor     string // where on the page the links lead ("#journal"), or ""
	Label      string // what the navigation is called for screen readers
	size       int    // entries a page
}

// newJournalPages places page among the pages of total entries, size a page: past
// either end, the nearest page. Its links name the page by query, lead to anchor and
// are called label.
func newJournalPages(total, size, page int, query, anchor, label string) journalPages {
	last := max(1, (total+size-1)/size)
	return journalPages{Page: min(max(1, page), last), Last: last, Query: query, Anchor: anchor, Label: label, size: size}
}

// offset is how many entries come before the page's first.
func (p journalPages) offset() int { return (p.Page - 1) * p.size }

// Href is the link to page n.
func (p journalPages) Href(n int) string { return "?" + p.Query + "=" + strconv.Itoa(n) + p.Anchor }
