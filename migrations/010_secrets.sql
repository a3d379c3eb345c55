-- Secrets every instance of the tracker must share (the key that binds the login form's
-- CSRF token to its cookie), made once by the first instance that needs them.
CREATE TABLE app_secrets (
    name  text PRIMARY KEY,
    value bytea NOT NULL CHECK (length(value) >= 32)
);
