-- Own password and ProConnect (issue 20).

-- The account audit also records a password changed by its owner (password_change),
-- never the password itself.
ALTER TABLE account_audit DROP CONSTRAINT account_audit_action_check;
ALTER TABLE account_audit ADD CONSTRAINT account_audit_action_check
    CHECK (action IN ('create', 'update', 'disable', 'enable', 'password_reset',
                      'password_change', 'token_create', 'token_revoke'));

-- A session opened through ProConnect keeps the ID token ProConnect gave it: logout
-- sends it back to ProConnect's end_session_endpoint as id_token_hint. NULL for a
-- session opened with a password.
ALTER TABLE sessions ADD COLUMN id_token text;

-- ProConnect sign-ins under way: each authorization request's state and nonce (their
-- SHA-256 only), bound to the browser that asked (the SHA-256 of its short-lived
-- cookie's secret), taken once by the callback, dead after expires_at. PostgreSQL
-- keeps them so that any instance can answer the callback.
CREATE TABLE proconnect_logins (
    state_hash   bytea PRIMARY KEY,
    browser_hash bytea NOT NULL,
    nonce_hash   bytea NOT NULL,
    next         text NOT NULL DEFAULT '/',
    expires_at   timestamptz NOT NULL
);

CREATE INDEX proconnect_logins_expiry ON proconnect_logins (expires_at);
