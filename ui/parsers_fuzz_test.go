package ui

import (
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
)

// withCtx runs fn with a Fiber context holding a request of body and content type.
func withCtx(app *fiber.App, contentType string, body []byte, fn func(c *fiber.Ctx)) {
	rc := &fasthttp.RequestCtx{}
	rc.Request.Header.SetMethod(fiber.MethodPost)
	rc.Request.Header.SetContentType(contentType)
	rc.Request.SetBody(body)
	c := app.AcquireCtx(rc)
	defer app.ReleaseCtx(c)
	fn(c)
}

// outsideError fails unless err is nil or a refusal the user is told about (never an
// internal error).
func outsideError(t *testing.T, what string, err error) {
	t.Helper()
	switch code := relocation.ErrorCode(err); code {
	case "", relocation.EBADREQUEST, relocation.EINVALID, relocation.EMEDIATYPE, relocation.ETOOLARGE:
	default:
		t.Fatalf("%s: %v (code %s), want nil or a 4xx refusal", what, err, code)
	}
}

// FuzzDecodeJSON: any body read into a relocation's input is accepted or refused with a
// 4xx error, never a panic or an internal error.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{`{"name":"CLEISS","headcount":140}`, `{"HEADCOUNT":1}`, `{"a":1,"a":2}`, `[1]`, `{"notes":"C:\\u0000"}`,
		`{"target_move":"2022-early","origin_lat":48.8}`, `{`, ``, `{"headcount":1e400}`} {
		f.Add([]byte(seed))
	}
	app := fiber.New()
	s := &Server{validator: newValidator()}
	f.Fuzz(func(t *testing.T, body []byte) {
		withCtx(app, fiber.MIMEApplicationJSON, body, func(c *fiber.Ctx) {
			in := newInput[relocationInput](relocation.NewRelocation())
			outsideError(t, "decode", s.decodeValid(c, &in))
			var nested ahpInput // nested objects: strict keys at every depth
			outsideError(t, "decode nested", s.decodeValid(c, &nested))
		})
	})
}

// FuzzBindForm: any form body bound to a milestone's or a site's input, or read as the
// score grid, gives values to show again and field messages, never a panic.
func FuzzBindForm(f *testing.F) {
	for _, seed := range []string{"title=D%C3%A9m%C3%A9nagement&planned=d%C3%A9but+2022&kind=move&source=QE",
		"planned=T1+2022&actual=15%2F06%2F2021&public=on", "title=%00", "planned=%FF%FE", "=&&==&a",
		"value_3_12=7%2C5&justification_3_12=Visite&version_3_12=nouvelle&value_0_1=1&value_3_x=2",
		"name=Pantin&kind=lease&lat=48%C2%B055%2707%22N&lon=2%C2%B026%2740%22E&annual_cost_eur=150+000+%E2%82%AC&surface_m2=1_6"} {
		f.Add([]byte(seed))
	}
	app := fiber.New()
	s := &Server{validator: newValidator()}
	f.Fuzz(func(t *testing.T, body []byte) {
		withCtx(app, fiber.MIMEApplicationForm, body, func(c *fiber.Ctx) {
			var in milestoneInput
			var values map[string]string
			outsideError(t, "bind", s.bindValid(c, &in, &values))
			if values == nil {
				t.Fatal("no values to show again")
			}
			var site siteInput // numbers, units and coordinates as typed
			outsideError(t, "bind site", s.bindValid(c, &site, &values))
			typed := map[string]string{} // the score grid's one form
			for siteID, entries := range readScoreForm(c, typed) {
				for _, in := range entries {
					if siteID <= 0 || in.CriterionID <= 0 || (in.Value != nil && in.Unreadable != "") {
						t.Fatalf("score form read %d/%+v", siteID, in)
					}
				}
			}
		})
	})
}

// FuzzAcceptabilityOptions: any query is accepted within the SPEC's bounds or refused
// with a 4xx naming the parameter, never a panic.
func FuzzAcceptabilityOptions(f *testing.F) {
	for _, seed := range [][3]string{{"", "", ""}, {"10000", "42", "5"}, {"99", "-1", "0"}, {"1e4", "9007199254740992", "NaN"},
		{"100000", "0", "100"}, {"", "", "5,5"}, {"", "", "Inf"}, {"", "", "1e-300"}} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, samples, seed, around string) {
		opts, err := parseAcceptabilityOptions(samples, seed, around)
		outsideError(t, "acceptability options", err)
		if err != nil {
			return
		}
		if opts.Samples < criteria.MinSamples || opts.Samples > criteria.MaxSamples || opts.Seed > criteria.MaxSeed ||
			(opts.Around != nil && !(*opts.Around > 0 && *opts.Around <= criteria.MaxAround)) {
			t.Fatalf("accepted out of bounds: %+v (around %v)", opts, opts.Around)
		}
	})
}
