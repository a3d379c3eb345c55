-- A change made outside the program (an UPDATE typed in psql, a script) shows at once in
-- every answer, and cannot break the one move date (issue 16).
--
-- Migration 013 raises a relocation's revision on any such change, so kept pages follow.
-- Three things did not: public answers are kept under relocations.public_changed_at,
-- which only actions raised; versions (ETags, the version a form was drawn from) stayed,
-- so a form opened before the change could overwrite it silently; and nothing raised
-- anything when a milestone's history row was deleted. Inside an action the triggers
-- below are skipped for its own relocation while tracker.revised is set (migration 022):
-- actions raise versions and stamps themselves. A table given a version later needs its
-- <table>_version_raised trigger (TestEveryVersionedTableRaisesItsVersion).

-- same_fields says whether two images of a row agree in everything but its version and
-- its time of change, compared as PostgreSQL compares their columns (not as text).
CREATE FUNCTION same_fields(old_row anyelement, new_row anyelement) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    o record := old_row;
    n record := new_row;
BEGIN
    n.version := o.version;
    n.updated_at := o.updated_at;
    RETURN n IS NOT DISTINCT FROM o;
END $$;

-- The relocations row, outside its own action (the trigger's WHEN, migration 022): any
-- change raises its revision (as before) and its public stamp, past its last value (an
-- action that committed after this transaction began may have set it later than now());
-- a change of a field raises its version too. A rise of the revision alone (a row of it
-- changed: 013's triggers, or 022's within an action on another relocation) keeps the
-- version.
CREATE OR REPLACE FUNCTION relocation_revised() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    fields relocations%ROWTYPE;
BEGIN
    IF NEW IS DISTINCT FROM OLD THEN
        fields := NEW;
        fields.revision := OLD.revision;
        fields.public_changed_at := OLD.public_changed_at;
        IF NEW.version = OLD.version AND NOT same_fields(OLD, fields) THEN
            NEW.version := OLD.version + 1;
        END IF;
        IF NEW.revision = OLD.revision THEN
            NEW.revision := OLD.revision + 1;
        END IF;
        NEW.public_changed_at := greatest(clock_timestamp(), OLD.public_changed_at + interval '1 microsecond',
                                          NEW.public_changed_at);
    END IF;
    RETURN NEW;
END $$;

-- The other rows with a version, outside actions: a change of a field raises it (the
-- program's own writes outside actions, the account actions, raise it themselves).
CREATE FUNCTION version_raised() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.version = OLD.version AND NOT same_fields(OLD, NEW) THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['milestones', 'sites', 'criteria', 'scores', 'partners', 'written_questions', 'users'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW
            WHEN (revised_by_action() IS NULL) EXECUTE FUNCTION version_raised()', t || '_version_raised', t);
    END LOOP;
END $$;

-- One move date (SPEC, Relocation; migration 014), whoever writes: at commit, a
-- relocation changed outside an action must have the planned date of its move milestone,
-- if it has one. Change both in one transaction, or use the tracker, which does. (Rows a
-- hand broke before this migration are not reconciled here: the next action on the move
-- milestone or the target move brings them together.)
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

-- A milestone's history row deleted: its relocation's revision rises, like an insert or
-- an update (013), whoever deletes it; inside an action, revise_other (022) skips the
-- action's own relocation. A history row deleted with its milestone finds no milestone:
-- the milestone's own trigger counted it.
CREATE TRIGGER milestone_history_revise_del AFTER DELETE ON milestone_history
    FOR EACH ROW EXECUTE FUNCTION revise_other();

-- Migration 014 titled the target move's feed entries « Déménagement visé »; the program
-- titles them « Déménagement ». One title for one kind of entry.
UPDATE public_events SET title = 'Déménagement' WHERE kind = 'target_move' AND title = 'Déménagement visé';
