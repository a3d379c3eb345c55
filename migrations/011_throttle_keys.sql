-- Login throttling counts failures per account and client address, per address, and per
-- account: the row's key names which (« pair:… », « addr:… », « acct:… »).
ALTER TABLE login_throttle RENAME COLUMN email TO key;
DELETE FROM login_throttle;
