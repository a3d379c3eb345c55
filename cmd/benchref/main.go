// Command benchref is the bare-stack reference of `make bench` (scripts/bench.sh): the
// most the tracker's own stack — Fiber v2, sqlx, lib/pq, PostgreSQL — serves on this
// machine with nothing in the way. The bench loads it and the tracker with the same wrk
// command, one right after the other, and prints the tracker's figure divided by this
// one's: the ratio the speed targets are written in, since absolute figures move with
// the machine and its load.
//
// It is a measuring tool, not part of the tracker, and the one program outside ui that
// imports Fiber: it must stand on the same stack to be a fair reference.
//
//	DATABASE_URL=postgres://.../tracker_bench ADDR=127.0.0.1:18099 bin/benchref
//
// It creates and fills a table benchref_rows in that database: give it a throwaway one.
//
// Routes:
//
//	/hello   no database
//	/one     one indexed row from PostgreSQL, as JSON
//	/page    one query of 20 rows rendered through html/template
//	PATCH /write/:id   one journaled write, as ../shared/ceiling's (lock, update, journal row)
package main

import (
	"bytes"
	"html/template"
	"log"
	"os"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"
)

// row is one line of benchref_rows.
type row struct {
	ID    int    `db:"id" json:"id"`
	Title string `db:"title" json:"title"`
	Due   string `db:"due" json:"due"`
}

var page = template.Must(template.New("page").Parse(`<!doctype html><html lang="fr"><head><title>benchref</title></head>` +
	`<body><table>{{range .}}<tr><td>{{.ID}}</td><td>{{.Title}}</td><td>{{.Due}}</td></tr>{{end}}</table></body></html>`))

func main() {
	db := sqlx.MustConnect("postgres", os.Getenv("DATABASE_URL"))
	db.SetMaxOpenConns(32) // as the bench sets the tracker's DB_MAX_OPEN_CONNS and DB_MAX_IDLE_CONNS
	db.SetMaxIdleConns(32)
	db.MustExec(`CREATE TABLE IF NOT EXISTS benchref_rows (id int PRIMARY KEY, title text NOT NULL, due date NOT NULL)`)
	db.MustExec(`INSERT INTO benchref_rows SELECT g, 'Jalon ' || g, date '2022-01-01' + g
		FROM generate_series(1, 10000) g ON CONFLICT DO NOTHING`)
	db.MustExec(`CREATE TABLE IF NOT EXISTS benchref_journal (id bigserial PRIMARY KEY, row_id int NOT NULL,
		title text NOT NULL, at timestamptz NOT NULL DEFAULT now())`)

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/hello", func(c *fiber.Ctx) error { return c.SendString("bonjour") })
	app.Get("/one", func(c *fiber.Ctx) error {
		var r row
		if err := db.GetContext(c.UserContext(), &r, `SELECT id, title, due::text FROM benchref_rows WHERE id = $1`, 4242); err != nil {
			return err
		}
		return c.JSON(r)
	})
	app.Get("/page", func(c *fiber.Ctx) error {
		var rs []row
		if err := db.SelectContext(c.UserContext(), &rs,
			`SELECT id, title, due::text FROM benchref_rows WHERE id BETWEEN $1 AND $1 + 19 ORDER BY id`, 4000); err != nil {
			return err
		}
		var b bytes.Buffer
		if err := page.Execute(&b, rs); err != nil {
			return err
		}
		c.Type("html")
		return c.Send(b.Bytes())
	})

	// One change in one transaction, as ../shared/ceiling's: lock the row, update it from a
	// JSON body, append a journal row, commit (a tracker's smallest journaled write).
	app.Patch("/write/:id", func(c *fiber.Ctx) error {
		id, err := strconv.Atoi(c.Params("id"))
		var in struct {
			Title string `json:"title"`
		}
		if err != nil || c.BodyParser(&in) != nil || in.Title == "" {
			return fiber.ErrBadRequest
		}
		tx, err := db.BeginTxx(c.UserContext(), nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		var r row
		if err := tx.GetContext(c.UserContext(), &r, `SELECT id, title, due::text FROM benchref_rows WHERE id = $1 FOR UPDATE`, id); err != nil {
			return fiber.ErrNotFound
		}
		if _, err := tx.ExecContext(c.UserContext(), `UPDATE benchref_rows SET title = $2 WHERE id = $1`, id, in.Title); err != nil {
			return err
		}
		if _, err := tx.ExecContext(c.UserContext(), `INSERT INTO benchref_journal (row_id, title) VALUES ($1, $2)`, id, r.Title); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		r.Title = in.Title
		return c.JSON(r)
	})

	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:18099"
	}
	log.Fatal(app.Listen(addr))
}
