package ui_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
	"github.com/ministere/tracker/ui"
	"github.com/ministere/tracker/ui/account"
)

// BenchmarkImportRoster10000 imports a 10,000-agent roster (home coordinates, current
// minutes, one measured site of five) through the API, end to end: the HTTP request,
// parsing, replacing the roster in PostgreSQL and recomputing the figures of the five
// sites, in one transaction. The target is under 0.5 s per import.
func BenchmarkImportRoster10000(b *testing.B) {
	ctx := context.Background()
	db := dbtest.Open(b)
	app, err := ui.New(ui.Config{BcryptCost: testBcryptCost, RequestTimeout: time.Minute}, db, slog.New(slog.NewTextHandler(io.Discard, nil)), apiNow.Local)
	if err != nil {
		b.Fatal(err)
	}
	accounts := account.NewStore(db, apiNow.Local, testBcryptCost)
	admin, err := accounts.CreateUser(ctx, testActor, account.NewUser{Email: adminEmail, Name: "Admin", Role: account.RoleAdmin, Password: testPassword})
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := accounts.CreateToken(ctx, testActor, admin.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	by := relocation.System("bench")
	r := relocation.NewRelocation()
	r.Slug, r.Name, r.Body, r.Origin, r.Destination, r.Headcount = "bench", "Bench", "B", "Paris", "Montreuil", 10000
	r.OriginLat, r.OriginLon = ptrTo(48.8791), ptrTo(2.3346)
	r.TargetMove, _ = relocation.ParseFuzzyDate("2027")
	if r, err = criteria.NewRelocationStore(db).CreateRelocation(ctx, by, relocation.Given(r)); err != nil {
		b.Fatal(err)
	}
	var siteIDs []int64
	for i := 0; i < 5; i++ {
		s := sites.Site{Name: fmt.Sprintf("Site %d", i), Kind: "lease", Lat: ptrTo(48.85 + float64(i)*0.01), Lon: ptrTo(2.40)}
		created, err := sites.NewStore(db).CreateSite(ctx, by, r.ID, relocation.Given(s))
		if err != nil {
			b.Fatal(err)
		}
		siteIDs = append(siteIDs, created.ID)
	}
	var csv strings.Builder
	fmt.Fprintf(&csv, "agent_ref;home_commune;home_lat;home_lon;current_minutes;minutes_%d\n", siteIDs[0])
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&csv, "AG-%05d;Commune %d;%s;%s;%d;%d\n", i, i%50,
			strings.Replace(fmt.Sprintf("%.5f", 48.7+float64(i%400)*0.001), ".", ",", 1),
			strings.Replace(fmt.Sprintf("%.5f", 2.2+float64(i%300)*0.001), ".", ",", 1), 20+i%40, 25+i%50)
	}
	body := csv.String()
	path := fmt.Sprintf("/api/v1/relocations/%d/agents", r.ID)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("PUT", path, strings.NewReader(body))
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := app.Test(req, -1)
		if err != nil || resp.StatusCode != 200 {
			raw, _ := io.ReadAll(resp.Body)
			b.Fatalf("import: %v %d %s", err, resp.StatusCode, raw)
		}
		resp.Body.Close()
	}
}

func ptrTo(f float64) *float64 { return &f }
