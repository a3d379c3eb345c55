-- A relocation's revision raised once per action, not once per statement (issue 16: writes
-- at the bare stack's pace).
--
-- An action (relocation.Act) names the relocation it locked in the transaction-local
-- setting tracker.revised, and raises that relocation's revision itself, once, in the
-- statement that ends it (with its journal lines). Inside an action, the statement-level
-- triggers of migration 013 therefore do not fire at all (their WHEN below), and neither
-- does the relocations row's own trigger for that relocation. Should an action change a
-- row of another relocation, a row-level trigger raises that one's revision (its WHEN is
-- false for the action's own rows, so they cost no call). Outside actions — a hand-made
-- UPDATE in psql, a new relocation being created, the demo — nothing changes: migration
-- 013's triggers raise the revisions as before.

CREATE FUNCTION revised_by_action() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('tracker.revised', true), '')::bigint
$$;

-- Migration 013's statement-level triggers, again, firing only outside actions.
DO $$
DECLARE t record;
BEGIN
    FOR t IN SELECT g.tgname, c.relname, pg_get_triggerdef(g.oid) AS def
             FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
             WHERE NOT g.tgisinternal AND g.tgname LIKE '%\_revise\_%' ESCAPE '\' LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t.tgname, t.relname);
        EXECUTE replace(t.def, 'FOR EACH STATEMENT', 'FOR EACH STATEMENT WHEN (revised_by_action() IS NULL)');
    END LOOP;
END $$;

DROP TRIGGER relocation_revised ON relocations;
CREATE TRIGGER relocation_revised BEFORE UPDATE ON relocations
    FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM revised_by_action()) EXECUTE FUNCTION relocation_revised();

-- revise_other raises the revision of the relocation of a row an action changed, when it
-- is not the action's: the row's own relocation_id, or its site's (scores) or milestone's
-- (history).
CREATE FUNCTION revise_other() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
    rel bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    IF TG_TABLE_NAME = 'scores' THEN
        SELECT relocation_id INTO rel FROM sites WHERE id = r.site_id;
    ELSIF TG_TABLE_NAME = 'milestone_history' THEN
        SELECT relocation_id INTO rel FROM milestones WHERE id = r.milestone_id;
    ELSE
        rel := r.relocation_id;
    END IF;
    UPDATE relocations SET revision = revision + 1 WHERE id = rel AND id IS DISTINCT FROM revised_by_action();
    RETURN NULL;
END $$;

-- On every table whose rows raise their relocation's revision (013's trigger) and carry
-- their relocation_id (not scores and history, which reach it through a parent).
DO $$
DECLARE t text;
BEGIN
    FOR t IN SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'relocation_id' AND NOT a.attisdropped
             WHERE g.tgname = c.relname || '_revise_ins' LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE ON %I FOR EACH ROW
            WHEN (revised_by_action() IS NOT NULL AND NEW.relocation_id IS DISTINCT FROM revised_by_action())
            EXECUTE FUNCTION revise_other()', t || '_revise_other', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I FOR EACH ROW
            WHEN (revised_by_action() IS NOT NULL AND OLD.relocation_id IS DISTINCT FROM revised_by_action())
            EXECUTE FUNCTION revise_other()', t || '_revise_other_del', t);
    END LOOP;
END $$;
CREATE TRIGGER scores_revise_other AFTER INSERT OR UPDATE OR DELETE ON scores
    FOR EACH ROW WHEN (revised_by_action() IS NOT NULL) EXECUTE FUNCTION revise_other();
CREATE TRIGGER milestone_history_revise_other AFTER INSERT OR UPDATE ON milestone_history
    FOR EACH ROW WHEN (revised_by_action() IS NOT NULL) EXECUTE FUNCTION revise_other();
