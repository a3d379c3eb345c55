-- One move date (SPEC, Relocation): a relocation has at most one milestone of kind move,
-- and while it exists the relocation's target_move is that milestone's planned date.
-- Existing rows are reconciled here, journaled like any change, by « Mise à jour du
-- logiciel »:
--   1. a relocation with several move milestones keeps the oldest; the others become
--      « other » (nothing is deleted);
--   2. where target_move and the move milestone disagree, the milestone's date wins (it is
--      the one with a history and a reason); the relocation's version rises;
--   3. the news feed tells it when the relocation is public.
-- Public feed boundary (SPEC): events recorded while a relocation was internal are removed
-- (the journal dates its last publication); from now on none is recorded (relocation.Tx).

WITH ranked AS (
    SELECT id, relocation_id, row_number() OVER (PARTITION BY relocation_id ORDER BY id) AS n
    FROM milestones WHERE kind = 'move'
), demoted AS (
    UPDATE milestones m SET kind = 'other', version = m.version + 1, updated_at = now()
    FROM ranked WHERE m.id = ranked.id AND ranked.n > 1
    RETURNING m.id, m.relocation_id
)
INSERT INTO journal (by, relocation_id, entity, entity_id, action, changes)
SELECT 'Mise à jour du logiciel', relocation_id, 'milestone', id, 'update',
       '{"kind": {"before": "move", "after": "other"}}'::jsonb
FROM demoted;

CREATE UNIQUE INDEX milestones_one_move ON milestones (relocation_id) WHERE kind = 'move';

WITH diff AS (
    SELECT r.id, r.target_move AS before, m.planned AS after, r.visibility
    FROM relocations r JOIN milestones m ON m.relocation_id = r.id AND m.kind = 'move'
    WHERE r.target_move <> m.planned
), updated AS (
    UPDATE relocations r SET target_move = diff.after, version = r.version + 1, updated_at = now(),
        public_changed_at = now()
    FROM diff WHERE r.id = diff.id
    RETURNING r.id
), journaled AS (
    INSERT INTO journal (by, relocation_id, entity, entity_id, action, changes)
    SELECT 'Mise à jour du logiciel', diff.id, 'relocation', diff.id, 'update',
           jsonb_build_object('target_move', jsonb_build_object('before', diff.before, 'after', diff.after))
    FROM diff JOIN updated USING (id)
)
INSERT INTO public_events (relocation_id, kind, title, from_value, to_value)
SELECT diff.id, 'target_move', 'Déménagement visé', diff.before, diff.after
FROM diff JOIN updated USING (id) WHERE diff.visibility = 'public';

-- The feed: the reason of a re-plan, and the choice of a site.
ALTER TABLE public_events ADD COLUMN reason text NOT NULL DEFAULT '';
ALTER TABLE public_events DROP CONSTRAINT public_events_kind_check;
ALTER TABLE public_events ADD CONSTRAINT public_events_kind_check
    CHECK (kind IN ('milestone_added', 'milestone_replanned', 'milestone_done', 'milestone_changed',
                    'milestone_removed', 'target_move', 'site_chosen'));

-- Events from before the relocation's last publication, or of one that is internal now,
-- were never public: they go.
DELETE FROM public_events e USING relocations r
WHERE r.id = e.relocation_id AND r.visibility = 'internal';
DELETE FROM public_events e
WHERE e.at < (SELECT max(j.at) FROM journal j
              WHERE j.relocation_id = e.relocation_id AND j.entity = 'relocation'
                AND j.changes -> 'visibility' ->> 'after' = 'public');
