-- A relocation's revision raised once per action, not once per statement (issue 16: writes
-- at the bare stack's pace).
--
-- An action (relocation.Act) names the relocation it locked in the transaction-local
-- setting tracker.revised, and raises that relocation's revision itself, once, in the
-- statement that ends it (with its journal lines). The triggers of migration 013 then
-- skip that relocation: each of the action's statements no longer updates the
-- relocation's row again. Every other relocation a statement touches is raised as
-- before, and so is every change made outside an action (a hand-made UPDATE in psql
-- sets no tracker.revised).

CREATE OR REPLACE FUNCTION revised_by_action() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('tracker.revised', true), '')::bigint
$$;

-- The relocations row itself: an action that updates it (its fields, the move date that
-- follows its milestone, the chosen site) raises its revision at its end already.
CREATE OR REPLACE FUNCTION relocation_revised() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.revision = OLD.revision AND NEW IS DISTINCT FROM OLD
       AND NEW.id IS DISTINCT FROM revised_by_action() THEN
        NEW.revision := OLD.revision + 1;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION revise_from_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE relocations SET revision = revision + 1
    WHERE id IN (SELECT DISTINCT relocation_id FROM new_rows)
      AND id IS DISTINCT FROM revised_by_action();
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION revise_from_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE relocations SET revision = revision + 1
    WHERE id IN (SELECT DISTINCT relocation_id FROM old_rows)
      AND id IS DISTINCT FROM revised_by_action();
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION revise_scores() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE relocations SET revision = revision + 1
        WHERE id IN (SELECT s.relocation_id FROM sites s WHERE s.id IN (SELECT site_id FROM old_rows))
          AND id IS DISTINCT FROM revised_by_action();
    ELSE
        UPDATE relocations SET revision = revision + 1
        WHERE id IN (SELECT s.relocation_id FROM sites s WHERE s.id IN (SELECT site_id FROM new_rows))
          AND id IS DISTINCT FROM revised_by_action();
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION revise_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE relocations SET revision = revision + 1
    WHERE id IN (SELECT m.relocation_id FROM milestones m WHERE m.id IN (SELECT milestone_id FROM new_rows))
      AND id IS DISTINCT FROM revised_by_action();
    RETURN NULL;
END $$;
