package ui

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/relocation"
)

// sharedKey is a secret all instances share through PostgreSQL, read once per process
// (and again after a failed read).
type sharedKey struct {
	name string
	db   *sqlx.DB
	mu   sync.Mutex
	key  []byte
}

// get returns the key, making it on first use by any instance.
func (k *sharedKey) get(ctx context.Context) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	var key []byte
	// DO UPDATE (of nothing) returns the row another instance made, even when it made it
	// while this statement ran (a SELECT beside DO NOTHING would not see it).
	err := k.db.GetContext(ctx, &key, `INSERT INTO app_secrets (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING value`, k.name, fresh)
	if err != nil {
		return nil, relocation.DBError("secret: "+k.name, err, "")
	}
	k.key = key
	return key, nil
}

// mac returns the hex HMAC-SHA256 of value under the key.
func (k *sharedKey) mac(ctx context.Context, value string) (string, error) {
	key, err := k.get(ctx)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)), nil
}
