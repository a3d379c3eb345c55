package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
)

// apiAcceptability answers the rank acceptability of a relocation's sites (SMAA-2) for
// ?samples=&seed=&around= (acceptabilityOptions). Same rights as the ranking; the answers
// to the pages' options are kept between changes of the relocation, others computed anew.
func (s *Server) apiAcceptability(c *fiber.Ctx) error {
	id, revision, err := s.relocationRevision(c)
	if err != nil {
		return err
	}
	opts, err := acceptabilityOptions(c)
	if err != nil {
		return err
	}
	compute := s.fromGrid(c, id, func(g criteria.Grid) (any, error) { return g.Acceptability(opts) })
	if !usualOptions(opts) { // options a client may vary without end: not kept, so as not to push kept answers out
		v, err := compute()
		if err != nil {
			return err
		}
		b, err := jsonMarshal(v)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(b)
	}
	key := drawnKey{Page: "api:acceptability", ID: id, Variant: optionsKey(opts)}
	return s.keptJSON(c, key, revision, compute)
}

// usualOptions reports whether the options are those of the pages (default samples and
// seed, over the whole simplex or within the pages' band): the answers worth keeping.
func usualOptions(o criteria.AcceptabilityOptions) bool {
	return o.Samples == criteria.DefaultSamples && o.Seed == criteria.DefaultSeed &&
		(o.Around == nil || *o.Around == acceptabilityAround)
}

// optionsKey names a set of acceptability options, for the kept answers.
func optionsKey(o criteria.AcceptabilityOptions) string {
	around := "-"
	if o.Around != nil {
		around = strconv.FormatFloat(*o.Around, 'g', -1, 64)
	}
	return fmt.Sprintf("%d/%d/%s", o.Samples, o.Seed, around)
}

// acceptabilityOptions reads the options of ?samples=&seed=&around= (see
// parseAcceptabilityOptions).
func acceptabilityOptions(c *fiber.Ctx) (criteria.AcceptabilityOptions, error) {
	return parseAcceptabilityOptions(c.Query("samples"), c.Query("seed"), c.Query("around"))
}

// parseAcceptabilityOptions reads samples (criteria.MinSamples … MaxSamples, default
// DefaultSamples), seed (0 … MaxSeed, default DefaultSeed) and around (percentage points in
// (0, 100], decimal point or comma; empty: the whole simplex), each "" when absent.
// Errors: EINVALID naming every refused parameter.
func parseAcceptabilityOptions(samples, seed, around string) (criteria.AcceptabilityOptions, error) {
	opts := criteria.AcceptabilityOptions{Samples: criteria.DefaultSamples, Seed: criteria.DefaultSeed}
	var refused []relocation.FieldError
	if samples != "" {
		n, err := strconv.Atoi(samples)
		if err != nil || n < criteria.MinSamples || n > criteria.MaxSamples {
			refused = append(refused, relocation.FieldError{Field: "samples",
				Message: fmt.Sprintf("doit être un nombre entier entre %s et %s", frenchFloat(criteria.MinSamples), frenchFloat(criteria.MaxSamples))})
		}
		opts.Samples = n
	}
	if seed != "" {
		n, err := strconv.ParseUint(seed, 10, 64)
		if err != nil || n > criteria.MaxSeed {
			refused = append(refused, relocation.FieldError{Field: "seed",
				Message: "doit être un nombre entier positif d’au plus 16 chiffres (au plus 9\u202f007\u202f199\u202f254\u202f740\u202f991)"})
		}
		opts.Seed = n
	}
	if around != "" {
		p, err := strconv.ParseFloat(strings.Replace(around, ",", ".", 1), 64)
		if err != nil || math.IsNaN(p) || !(p > 0 && p <= criteria.MaxAround) {
			refused = append(refused, relocation.FieldError{Field: "around",
				Message: "doit être un nombre de points de pourcentage supérieur à 0 et au plus égal à 100"})
		}
		opts.Around = &p
	}
	if len(refused) > 0 {
		return opts, relocation.Invalid(refused...)
	}
	return opts, nil
}
