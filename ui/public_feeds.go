package ui

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// publicCalendar answers a public relocation's calendar of public milestones (RFC 5545).
func (s *Server) publicCalendar(c *fiber.Ctx) error {
	return s.publicAnswer(c, "calendar", calendarType, func(bool) ([]byte, error) {
		v, ms, err := s.publicFacts(c)
		if err != nil {
			return nil, err
		}
		return calendarICS(v.Relocation, ms)
	})
}

// calendarType is the media type of the calendars.
const calendarType = "text/calendar; charset=utf-8"

// feedSize is how many entries the news feed carries.
const feedSize = 50

// publicFeed answers a public relocation's news feed (Atom 1.0): one entry per change
// of a public milestone or of the target move, newest first.
func (s *Server) publicFeed(c *fiber.Ctx) error {
	return s.publicAnswer(c, "feed", "application/atom+xml; charset=utf-8", func(bool) ([]byte, error) {
		var v relocation.PublicView
		var events []relocation.PublicEvent
		err := s.snapshot(c, func(rd reader) error {
			var err error
			if v, err = rd.rel.PublicRelocation(c.UserContext(), c.Params("slug")); err != nil {
				return err
			}
			events, err = rd.rel.PublicEvents(c.UserContext(), v.ID, feedSize)
			return err
		})
		if err != nil {
			return nil, err
		}
		return atomFeed(s.publicBase(c)+"/r/"+v.Slug, v, events)
	})
}

// The Atom 1.0 document (RFC 4287), as encoding/xml writes it (escaped).
type atomDoc struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomAuthor  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// atomFeed writes the news feed of relocation v at page, from its public events.
func atomFeed(page string, v relocation.PublicView, events []relocation.PublicEvent) ([]byte, error) {
	doc := atomDoc{Lang: "fr", ID: page, Title: v.Name + " — actualités du déménagement",
		Updated: v.PublicChangedAt.UTC().Format(time.RFC3339), Author: atomAuthor{Name: or(v.BodyName, v.Body)},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: page + "/feed.atom"}, {Rel: "alternate", Type: "text/html", Href: page}}}
	for _, e := range events {
		doc.Entries = append(doc.Entries, atomEntry{
			ID:    fmt.Sprintf("%s#evenement-%d", page, e.ID),
			Title: eventText(e), Updated: e.At.UTC().Format(time.RFC3339), Link: atomLink{Href: page},
			Summary: eventSummary(e),
		})
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("ui: atom: %w", err)
	}
	return append([]byte(xml.Header), out...), nil
}

// eventText says a public event in French: « Déménagement : reporté de début 2022 à
// mi-2022 ».
func eventText(e relocation.PublicEvent) string {
	from, to := dateWords(e.From), dateWords(e.To)
	switch e.Kind {
	case relocation.EventMilestoneAdded:
		return fmt.Sprintf("Nouvelle étape : %s, prévue %s", e.Title, to)
	case relocation.EventMilestoneReplanned, relocation.EventTargetMove:
		return fmt.Sprintf("%s : %s de %s à %s", e.Title, moveVerb(e.From, e.To), from, to)
	case relocation.EventMilestoneDone:
		return fmt.Sprintf("%s : réalisé le %s", e.Title, to)
	case relocation.EventMilestoneRemoved:
		return fmt.Sprintf("%s : retiré du calendrier public", e.Title)
	case relocation.EventSiteChosen:
		return "Site retenu : " + placeWords(e)
	}
	return fmt.Sprintf("%s : informations mises à jour", e.Title)
}

// eventSummary says a public event in a sentence or two, with what its title leaves
// out: the former date, the reason of a re-plan.
func eventSummary(e relocation.PublicEvent) string {
	from, to := dateWords(e.From), dateWords(e.To)
	var s string
	switch e.Kind {
	case relocation.EventMilestoneAdded:
		s = fmt.Sprintf("L’étape « %s » entre au calendrier public ; elle est prévue %s.", e.Title, to)
	case relocation.EventTargetMove:
		s = fmt.Sprintf("Le déménagement est désormais prévu %s (il l’était %s).", to, from)
	case relocation.EventMilestoneReplanned:
		s = fmt.Sprintf("L’étape « %s » est désormais prévue %s (elle l’était %s).", e.Title, to, from)
	case relocation.EventMilestoneDone:
		s = fmt.Sprintf("L’étape « %s » a eu lieu le %s.", e.Title, to)
	case relocation.EventMilestoneRemoved:
		s = fmt.Sprintf("L’étape « %s » ne figure plus au calendrier public.", e.Title)
	case relocation.EventSiteChosen:
		s = fmt.Sprintf("Le site retenu pour le déménagement est %s.", placeWords(e))
	default:
		s = fmt.Sprintf("Les informations publiques de l’étape « %s » ont changé.", e.Title)
	}
	if r := strings.TrimSpace(e.Reason); r != "" {
		s += " Motif : " + r
	}
	return s
}

// placeWords names a chosen site with its commune (« bas Montreuil, Montreuil »).
func placeWords(e relocation.PublicEvent) string {
	if e.To != nil && strings.TrimSpace(*e.To) != "" && !strings.EqualFold(strings.TrimSpace(e.Title), strings.TrimSpace(*e.To)) {
		return e.Title + ", " + *e.To
	}
	return e.Title
}

// dateWords writes a stored FuzzyDate or date in words (« début 2022 », « 15 juin 2021 »).
func dateWords(p *string) string {
	if p == nil {
		return "—"
	}
	if d, err := relocation.ParseFuzzyDate(*p); err == nil {
		return d.Label()
	}
	return *p
}

// moveVerb says whether a date moved later (« reporté »), earlier (« avancé ») or was
// made more precise within the same interval (« précisé »).
func moveVerb(from, to *string) string {
	if from == nil || to == nil {
		return "modifié"
	}
	a, errA := relocation.ParseFuzzyDate(*from)
	b, errB := relocation.ParseFuzzyDate(*to)
	switch {
	case errA != nil || errB != nil:
		return "modifié"
	case b.End().After(a.End()):
		return "reporté"
	case b.End().Before(a.Start()) || b.Start().Before(a.Start()):
		return "avancé"
	}
	return "précisé"
}
