package ui

import (
	"strings"

	"github.com/ministere/tracker/sites"
)

// partnerInput is a partner body as clients write it (API and forms). Its coordinates are
// required: they are what partner_proximity is estimated from.
type partnerInput struct {
	Name    *string  `json:"name" validate:"required,notblank,max=200"`
	Address *string  `json:"address" validate:"omitnil,max=300"`
	Lat     *float64 `json:"lat" validate:"required" coordinate:"lat"`
	Lon     *float64 `json:"lon" validate:"required" coordinate:"lon"`
	Weight  *float64 `json:"weight" validate:"omitnil,gt=0,lte=1000000"`
}

// newPartnerInput returns the input that would write p as it is.
func newPartnerInput(p sites.Partner) partnerInput {
	return partnerInput{Name: &p.Name, Address: &p.Address, Lat: &p.Lat, Lon: &p.Lon, Weight: &p.Weight}
}

// apply writes the validated input over base.
func (in partnerInput) apply(base sites.Partner) sites.Partner {
	p := base
	p.Name = strings.TrimSpace(*in.Name)
	p.Address = strings.TrimSpace(val(in.Address))
	p.Lat, p.Lon = *in.Lat, *in.Lon
	set(&p.Weight, in.Weight)
	return p
}
