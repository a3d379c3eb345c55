package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file with the short hash that versions its URL.
type asset struct {
	body []byte
	hash string
	mime string
}

// assets are the embedded static files by path under static/, read once at start-up.
type assets struct{ files map[string]asset }

func loadAssets() (*assets, error) {
	a := &assets{files: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.files[strings.TrimPrefix(p, "static/")] = asset{body: body, hash: hex.EncodeToString(sum[:6]), mime: ct}
		return nil
	})
	return a, err
}

// url returns the versioned URL of an asset (templates are checked at start-up to
// name existing assets only).
func (a *assets) url(p string) string {
	return "/static/" + p + "?v=" + a.files[p].hash
}

// static serves an embedded file; a URL carrying the file's current hash may be cached
// for a year.
func (s *Server) static(c *fiber.Ctx) error {
	f, ok := s.assets.files[c.Params("*")]
	if !ok {
		return relocation.Errorf(relocation.ENOTFOUND, "Ce fichier n’existe pas.")
	}
	if c.Query("v") == f.hash {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
	c.Set(fiber.HeaderContentType, f.mime)
	return c.Send(f.body)
}
