-- The audit of account changes: who created, changed, disabled, re-enabled an account,
-- reset its password, created or revoked its API tokens, and when. Never a password, a
-- hash or a token secret: a password reset records only that it happened.
CREATE TABLE account_audit (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    by      text NOT NULL CHECK (by ~ '\S'),                 -- an email, « démo » or « ligne de commande »
    user_id bigint NOT NULL REFERENCES users (id),          -- the account changed (kept: no cascade)
    action  text NOT NULL CHECK (action IN ('create', 'update', 'disable', 'enable', 'password_reset',
                                            'token_create', 'token_revoke')),
    changes jsonb NOT NULL DEFAULT '{}'                     -- field → {"before", "after"}
);

CREATE INDEX account_audit_user ON account_audit (user_id, id DESC);

-- Append-only: any UPDATE, DELETE or TRUNCATE fails, whatever it would touch.
CREATE FUNCTION account_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'account_audit is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER account_audit_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON account_audit
    FOR EACH STATEMENT EXECUTE FUNCTION account_audit_append_only();
