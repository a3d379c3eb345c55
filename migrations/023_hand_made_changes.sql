-- A change made outside the program (an UPDATE typed in psql, a script) shows at once in
-- every answer, and cannot break the one move date (issue 16).
--
-- Migration 013 raises a relocation's revision on any such change, so kept pages follow.
-- Three things did not: public answers are kept under relocations.public_changed_at,
-- which only actions raised; versions (ETags, the version a form was drawn from) stayed,
-- so a form opened before the change could overwrite it silently; and nothing raised
-- anything when a milestone's history row was deleted. Inside actions nothing changes:
-- every trigger below is skipped while tracker.revised is set (migration 022), and
-- actions raise versions and stamps themselves.

-- fields_changed says whether two images of a row differ in anything but the columns
-- named in bookkeeping (stamps, versions, times).
CREATE FUNCTION fields_changed(old_row jsonb, new_row jsonb, bookkeeping text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT (old_row - bookkeeping) IS DISTINCT FROM (new_row - bookkeeping)
$$;

-- The relocations row, outside its own action (the trigger's WHEN, migration 022): any
-- change raises its revision (as before) and its public stamp; a change of a field
-- raises its version too. A rise of the revision alone (a row of it changed, 013's
-- triggers) keeps the version.
CREATE OR REPLACE FUNCTION relocation_revised() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW IS DISTINCT FROM OLD THEN
        IF NEW.revision = OLD.revision THEN
            NEW.revision := OLD.revision + 1;
        END IF;
        NEW.public_changed_at := greatest(now(), NEW.public_changed_at);
        IF NEW.version = OLD.version AND fields_changed(to_jsonb(OLD), to_jsonb(NEW),
                ARRAY['revision', 'public_changed_at', 'version', 'updated_at']) THEN
            NEW.version := OLD.version + 1;
        END IF;
    END IF;
    RETURN NEW;
END $$;

-- The other rows with a version, outside actions: a change of a field raises it.
CREATE FUNCTION version_raised() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.version = OLD.version AND fields_changed(to_jsonb(OLD), to_jsonb(NEW), ARRAY['version', 'updated_at']) THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOR t IN SELECT c.table_name FROM information_schema.columns c
             WHERE c.table_schema = current_schema() AND c.column_name = 'version'
               AND c.table_name <> 'relocations' AND c.table_name <> 'users' LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW
            WHEN (revised_by_action() IS NULL) EXECUTE FUNCTION version_raised()', t || '_version_raised', t);
    END LOOP;
END $$;

-- A milestone's history row deleted: its relocation's revision rises, like an insert or
-- an update (013's revise_history, which now reads the deleted rows too), or inside an
-- action when the row is another relocation's (022). A history row deleted with its
-- milestone finds no milestone: the milestone's own trigger counted it.
CREATE OR REPLACE FUNCTION revise_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE relocations SET revision = revision + 1
        WHERE id IN (SELECT m.relocation_id FROM milestones m WHERE m.id IN (SELECT milestone_id FROM old_rows));
    ELSE
        UPDATE relocations SET revision = revision + 1
        WHERE id IN (SELECT m.relocation_id FROM milestones m WHERE m.id IN (SELECT milestone_id FROM new_rows));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER milestone_history_revise_del AFTER DELETE ON milestone_history REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT WHEN (revised_by_action() IS NULL) EXECUTE FUNCTION revise_history();
CREATE TRIGGER milestone_history_revise_other_del AFTER DELETE ON milestone_history
    FOR EACH ROW WHEN (revised_by_action() IS NOT NULL) EXECUTE FUNCTION revise_other();

-- One move date (SPEC, Relocation; migration 014), whoever writes: at commit, a
-- relocation changed outside an action must have the planned date of its move milestone,
-- if it has one. Change both in one transaction, or use the tracker, which does.
CREATE FUNCTION one_move_date() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rel bigint;
    target text;
    move text;
BEGIN
    IF TG_TABLE_NAME = 'relocations' THEN rel := NEW.id; ELSE rel := NEW.relocation_id; END IF;
    SELECT r.target_move, m.planned INTO target, move
    FROM relocations r JOIN milestones m ON m.relocation_id = r.id AND m.kind = 'move'
    WHERE r.id = rel;
    IF FOUND AND target IS DISTINCT FROM move THEN
        RAISE EXCEPTION 'une seule date de déménagement : la relocalisation % vise %, son jalon de déménagement %', rel, target, move
            USING ERRCODE = 'check_violation',
                  HINT = 'Changez relocations.target_move et milestones.planned dans la même transaction, ou passez par le suivi.';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER relocations_one_move_date AFTER UPDATE OF target_move ON relocations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (revised_by_action() IS NULL) EXECUTE FUNCTION one_move_date();
CREATE CONSTRAINT TRIGGER milestones_one_move_date AFTER INSERT OR UPDATE OF planned, kind, relocation_id ON milestones
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (revised_by_action() IS NULL AND NEW.kind = 'move')
    EXECUTE FUNCTION one_move_date();

-- Migration 014 titled the target move's feed entries « Déménagement visé »; the program
-- titles them « Déménagement ». One title for one kind of entry.
UPDATE public_events SET title = 'Déménagement' WHERE kind = 'target_move' AND title = 'Déménagement visé';
