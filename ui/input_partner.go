package ui

import "github.com/ministere/tracker/sites"

// partnerInput is a partner body as clients write it (API and forms), made from the
// `input` tags of sites.Partner (tagInput). Its coordinates are required: they are what
// partner_proximity is estimated from.
type partnerInput struct {
	tagInput[sites.Partner]
}
