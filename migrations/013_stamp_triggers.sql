-- Stamps raised by PostgreSQL itself (issue 16): any change to a relocation or to a row of
-- it raises that relocation's revision, whoever makes it (an action, the demo, a hand-made
-- UPDATE in psql), and any change to what pages show of accounts raises revisions.accounts.
-- Kept pages are drawn under these numbers (ui/kept), so nothing is invalidated by hand.
--
-- No row is updated by every write any more: the global count of relocation changes
-- (revisions.relocations) is gone; the portfolio's stamp is the sum of the revisions
-- (relocations are never deleted, and every revision only grows, so the sum grows with
-- every change of any relocation).

ALTER TABLE revisions DROP COLUMN relocations;

-- A change to the relocations row itself: a BEFORE trigger raises its revision, unless the
-- statement already sets it.
CREATE FUNCTION relocation_revised() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.revision = OLD.revision AND NEW IS DISTINCT FROM OLD THEN
        NEW.revision := OLD.revision + 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER relocation_revised BEFORE UPDATE ON relocations
    FOR EACH ROW EXECUTE FUNCTION relocation_revised();

-- Rows that carry their relocation_id: one statement-level trigger per event (transition
-- tables allow one event per trigger), raising each touched relocation's revision once.
CREATE FUNCTION revise_from_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE relocations SET revision = revision + 1
    WHERE id IN (SELECT DISTINCT relocation_id FROM new_rows);
    RETURN NULL;
END $$;
CREATE FUNCTION revise_from_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE relocations SET revision = revision + 1
    WHERE id IN (SELECT DISTINCT relocation_id FROM old_rows);
    RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['milestones', 'sites', 'criteria', 'relocation_managers', 'agents',
                             'commute_figures', 'public_events'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION revise_from_new()', t || '_revise_ins', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION revise_from_new()', t || '_revise_upd', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION revise_from_old()', t || '_revise_del', t);
    END LOOP;
END $$;

-- Rows that reach their relocation through a parent: scores (a site's), history (a
-- milestone's). A deleted parent's cascade is already counted by the parent's trigger.
CREATE FUNCTION revise_scores() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE relocations SET revision = revision + 1
        WHERE id IN (SELECT s.relocation_id FROM sites s WHERE s.id IN (SELECT site_id FROM old_rows));
    ELSE
        UPDATE relocations SET revision = revision + 1
        WHERE id IN (SELECT s.relocation_id FROM sites s WHERE s.id IN (SELECT site_id FROM new_rows));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER scores_revise_ins AFTER INSERT ON scores REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION revise_scores();
CREATE TRIGGER scores_revise_upd AFTER UPDATE ON scores REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION revise_scores();
CREATE TRIGGER scores_revise_del AFTER DELETE ON scores REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION revise_scores();

CREATE FUNCTION revise_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE relocations SET revision = revision + 1
    WHERE id IN (SELECT m.relocation_id FROM milestones m WHERE m.id IN (SELECT milestone_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER milestone_history_revise_ins AFTER INSERT ON milestone_history REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION revise_history();
CREATE TRIGGER milestone_history_revise_upd AFTER UPDATE ON milestone_history REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION revise_history();

-- What pages show of accounts (names, roles, whether disabled): any change raises the
-- accounts count, in the changing transaction.
CREATE FUNCTION accounts_revised() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE revisions SET accounts = accounts + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER users_revised AFTER INSERT OR DELETE OR UPDATE OF email, name, role, disabled ON users
    FOR EACH STATEMENT EXECUTE FUNCTION accounts_revised();
