package proconnect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/ministere/tracker/relocation"
)

// Identity is who ProConnect says signed in.
type Identity struct {
	Subject string // the agent's identifier at ProConnect
	Email   string // as userinfo gives it (not normalized)
	IDToken string // the raw ID token, kept for logout's id_token_hint
}

// errRefused is what a user is told when ProConnect's answer does not hold.
var errRefused = relocation.Errorf(relocation.EUNAUTHORIZED,
	"ProConnect n’a pas pu confirmer votre identité : recommencez la connexion.")

// refused returns errRefused carrying why, for the log.
func refused(format string, args ...any) error {
	return relocation.Wrap(errRefused, fmt.Errorf("proconnect: "+format, args...))
}

// Exchange trades the authorization code for tokens at the provider's token endpoint
// (authenticated by the client secret), checks the ID token (signature by one of the
// provider's keys, issuer, audience, expiry, and that its nonce is the one of nonceHash,
// from Pending.Take: so a nonce serves once), then reads
// userinfo with the access token — JSON, or a JWT (application/jwt) whose signature is
// checked against the provider's keys — and checks it speaks of the same subject.
// EUNAUTHORIZED when anything does not hold (the cause, for the log, is wrapped);
// EUNAVAILABLE when the provider cannot be discovered.
func (c *Client) Exchange(ctx context.Context, code, redirectURI string, nonceHash []byte) (Identity, error) {
	p, err := c.provider(ctx)
	if err != nil {
		return Identity{}, err
	}
	ctx = c.clientContext(ctx)
	conf := c.oauth(p, redirectURI)
	tok, err := conf.Exchange(ctx, code)
	if err != nil {
		return Identity{}, refused("code exchange: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Identity{}, refused("the token answer has no id_token")
	}
	idt, err := p.verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, refused("id token: %w", err)
	}
	if !NonceMatches(nonceHash, idt.Nonce) {
		return Identity{}, refused("id token: the nonce is missing or not this sign-in's")
	}
	info, err := p.oidc.UserInfo(ctx, conf.TokenSource(ctx, tok))
	if err != nil {
		return Identity{}, refused("userinfo: %w", err)
	}
	if info.Subject != idt.Subject {
		return Identity{}, refused("userinfo subject %q is not the id token's %q", info.Subject, idt.Subject)
	}
	if err := c.checkUserinfoClaims(info); err != nil {
		return Identity{}, refused("userinfo: %w", err)
	}
	if strings.TrimSpace(info.Email) == "" {
		return Identity{}, refused("userinfo has no email")
	}
	return Identity{Subject: idt.Subject, Email: info.Email, IDToken: raw}, nil
}

// checkUserinfoClaims checks a signed userinfo's issuer and audience when it names them
// (ProConnect's does): a userinfo signed by the provider for another client is refused.
func (c *Client) checkUserinfoClaims(info *oidc.UserInfo) error {
	var claims struct {
		Issuer   string          `json:"iss"`
		Audience json.RawMessage `json:"aud"`
	}
	if err := info.Claims(&claims); err != nil {
		return err
	}
	if claims.Issuer != "" && claims.Issuer != c.cfg.Issuer {
		return fmt.Errorf("issued by %q", claims.Issuer)
	}
	if len(claims.Audience) == 0 {
		return nil
	}
	var aud []string
	if err := json.Unmarshal(claims.Audience, &aud); err != nil {
		var one string
		if err := json.Unmarshal(claims.Audience, &one); err != nil {
			return errors.New("unreadable audience")
		}
		aud = []string{one}
	}
	if !slices.Contains(aud, c.cfg.ClientID) {
		return fmt.Errorf("meant for %q", aud)
	}
	return nil
}
