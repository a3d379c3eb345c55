-- What agents see: when a relocation's public page last changed (for Last-Modified and
-- ETag), and the public events its news feed lists. Both are written by the actions, in
-- the transaction of the change they follow.
ALTER TABLE relocations ADD COLUMN public_changed_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE public_events (
    id            bigserial PRIMARY KEY,
    relocation_id bigint NOT NULL REFERENCES relocations (id) ON DELETE CASCADE,
    at            timestamptz NOT NULL DEFAULT now(),
    milestone_id  bigint,        -- NULL for the target move
    kind          text NOT NULL CHECK (kind IN ('milestone_added', 'milestone_replanned', 'milestone_done',
                                                'milestone_changed', 'milestone_removed', 'target_move')),
    title         text NOT NULL,
    from_value    text,          -- a FuzzyDate or a date (API form), when a date changed
    to_value      text
);

CREATE INDEX public_events_relocation ON public_events (relocation_id, id DESC);
