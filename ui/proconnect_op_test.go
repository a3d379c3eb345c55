package ui_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// The OpenID provider of the ProConnect tests: zitadel's op package (an OpenID
// Certified implementation), served in-process over HTTP, with its example in-memory
// storage, RS256 keys, and a userinfo endpoint answering a signed JWT as ProConnect's
// does. Nothing of the flow is imitated: the tracker discovers it, is redirected to it,
// trades codes at its token endpoint, fetches its keys and its userinfo.

// OP accounts: a username (also its subject) and the e-mail its userinfo gives.
const (
	opClientID     = "tracker-test"
	opClientSecret = "un secret de client de test"
	opPassword     = "mot de passe du fournisseur"
)

// testOP is a running OpenID provider and the test's hold on it.
type testOP struct {
	issuer   string
	storage  *opStorage
	provider *op.Provider
	server   *http.Server

	mu          sync.Mutex
	next        string // the username the login page signs in
	jsonInfo    bool   // userinfo answers JSON rather than a signed JWT
	userinfoHit int    // userinfo answers given
}

// opStorage is the example storage with what the tests change: the client's
// post-logout redirect URI, and a signing key the published key set does not hold.
type opStorage struct {
	*storage.Storage
	postLogout []string

	mu     sync.Mutex
	forged op.SigningKey // when set, tokens are signed with it
}

// SigningKey signs tokens: the published key, or the forged one while set.
func (s *opStorage) SigningKey(ctx context.Context) (op.SigningKey, error) {
	s.mu.Lock()
	forged := s.forged
	s.mu.Unlock()
	if forged != nil {
		return forged, nil
	}
	return s.Storage.SigningKey(ctx)
}

// GetClientByClientID gives the client its registered post-logout redirect URI (the
// example storage's clients have none).
func (s *opStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	return logoutClient{Client: c, postLogout: s.postLogout}, nil
}

type logoutClient struct {
	op.Client
	postLogout []string
}

func (c logoutClient) PostLogoutRedirectURIs() []string { return c.postLogout }

// rsaKey is an op.SigningKey of an RSA key.
type rsaKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k rsaKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k rsaKey) Key() any                                    { return k.key }
func (k rsaKey) ID() string                                  { return k.id }

// opUsers are the provider's accounts, by username (their subject too).
type opUsers map[string]*storage.User

func (u opUsers) GetUserByID(id string) *storage.User      { return u[id] }
func (u opUsers) GetUserByUsername(n string) *storage.User { return u[n] }
func (u opUsers) ExampleClientID() string                  { return "service" }

// startOP serves a provider on ln (a fresh loopback port when nil) whose client
// opClientID comes back to appBase's ProConnect paths, and knows the agents of emails
// (username → e-mail).
func startOP(t *testing.T, ln net.Listener, appBase string, emails map[string]string) *testOP {
	t.Helper()
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
	}
	issuer := "http://" + ln.Addr().String()
	users := opUsers{}
	for name, email := range emails {
		users[name] = &storage.User{ID: name, Username: name, Password: opPassword, Email: email, EmailVerified: true}
	}
	client := storage.WebClient(opClientID, opClientSecret, appBase+"/login/proconnect/callback")
	st := &opStorage{Storage: storage.NewStorageWithClients(users, map[string]*storage.Client{opClientID: client}),
		postLogout: []string{appBase + "/logout/proconnect"}}
	provider, err := op.NewProvider(&op.Config{CryptoKey: sha256.Sum256([]byte("clé de test")), DefaultLogoutRedirectURI: "/logged-out",
		CodeMethodS256: true, AuthMethodPost: true}, st, op.StaticIssuer(issuer), op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	o := &testOP{issuer: issuer, storage: st, provider: provider}
	mux := http.NewServeMux()
	// The login page: signs in the account the test chose, as a person would by typing
	// its password, and goes back to the provider.
	mux.Handle("/login/username", op.NewIssuerInterceptor(provider.IssuerFromRequest).HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.FormValue("authRequestID")
		o.mu.Lock()
		who := o.next
		o.mu.Unlock()
		if err := st.CheckUsernamePassword(who, opPassword, id); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		http.Redirect(w, r, op.AuthCallbackURL(provider)(r.Context(), id), http.StatusFound)
	}))
	mux.HandleFunc("/userinfo", o.userinfo)
	mux.Handle("/", provider)
	o.server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go o.server.Serve(ln)
	t.Cleanup(func() { o.server.Close() })
	return o
}

// signInAs makes the provider's login page sign in username.
func (o *testOP) signInAs(username string) { o.mu.Lock(); o.next = username; o.mu.Unlock() }

// forgeSignatures makes the provider sign tokens with a key of the published key's id
// that the key set does not hold (on), or with the published key again (off).
func (o *testOP) forgeSignatures(t *testing.T, on bool) {
	t.Helper()
	o.storage.mu.Lock()
	defer o.storage.mu.Unlock()
	if !on {
		o.storage.forged = nil
		return
	}
	published, err := o.storage.Storage.SigningKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	o.storage.forged = rsaKey{id: published.ID(), key: other}
}

// userinfo answers the provider's own userinfo, re-encoded as ProConnect sends it: a
// JWT signed with the provider's published key, naming the issuer and the client as
// audience, as application/jwt (JSON as is when jsonInfo is set).
func (o *testOP) userinfo(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	o.provider.ServeHTTP(rec, r)
	o.mu.Lock()
	o.userinfoHit++
	asJSON := o.jsonInfo
	o.mu.Unlock()
	if rec.Code != http.StatusOK || asJSON {
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		return
	}
	var claims map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &claims); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	claims["iss"], claims["aud"] = o.issuer, opClientID
	payload, _ := json.Marshal(claims)
	key, err := o.storage.Storage.SigningKey(r.Context())
	if err == nil {
		var signer jose.Signer
		signer, err = jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key.Key(), KeyID: key.ID()}},
			(&jose.SignerOptions{}).WithType("JWT"))
		if err == nil {
			var jws *jose.JSONWebSignature
			if jws, err = signer.Sign(payload); err == nil {
				var compact string
				if compact, err = jws.CompactSerialize(); err == nil {
					w.Header().Set("Content-Type", "application/jwt")
					w.Write([]byte(compact))
					return
				}
			}
		}
	}
	http.Error(w, err.Error(), http.StatusInternalServerError)
}
