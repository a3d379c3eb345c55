-- Relocations, their milestones with planned-date history, and the journal of changes.

CREATE TABLE relocations (
    id                         bigserial PRIMARY KEY,
    slug                       text NOT NULL UNIQUE
                               CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    name                       text NOT NULL CHECK (btrim(name) <> ''),
    body                       text NOT NULL CHECK (btrim(body) <> ''),
    body_name                  text NOT NULL DEFAULT '',
    origin                     text NOT NULL CHECK (btrim(origin) <> ''),
    origin_lat                 double precision CHECK (origin_lat BETWEEN -90 AND 90),
    origin_lon                 double precision CHECK (origin_lon BETWEEN -180 AND 180),
    destination                text NOT NULL CHECK (btrim(destination) <> ''),
    decision                   text NOT NULL DEFAULT '',
    headcount                  integer NOT NULL CHECK (headcount > 0),
    residents                  double precision CHECK (residents >= 0),          -- NULL: same as headcount
    surface_ratio_m2           double precision NOT NULL DEFAULT 16 CHECK (surface_ratio_m2 > 0),
    required_surface_m2        double precision CHECK (required_surface_m2 > 0), -- NULL: residents × ratio
    status                     text NOT NULL DEFAULT 'announced'
                               CHECK (status IN ('announced', 'site_search', 'site_selected',
                                                 'committed', 'works', 'moved', 'cancelled')),
    target_move                text NOT NULL
                               CHECK (target_move ~ '^[0-9]{4}(-([0-9]{2}(-[0-9]{2})?|Q[1-4]|S[12]|early|mid|late))?$'),
    chosen_site_id             bigint,
    visibility                 text NOT NULL DEFAULT 'internal' CHECK (visibility IN ('internal', 'public')),
    commute_increase_limit_min double precision NOT NULL DEFAULT 30 CHECK (commute_increase_limit_min >= 0),
    commute_access_min         double precision NOT NULL DEFAULT 10 CHECK (commute_access_min >= 0),
    commute_detour             double precision NOT NULL DEFAULT 1.3 CHECK (commute_detour >= 1),
    commute_speed_kmh          double precision NOT NULL DEFAULT 18 CHECK (commute_speed_kmh > 0),
    version                    integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE milestones (
    id            bigserial PRIMARY KEY,
    relocation_id bigint NOT NULL REFERENCES relocations (id) ON DELETE CASCADE,
    kind          text NOT NULL
                  CHECK (kind IN ('decision', 'parliamentary_question', 'site_search', 'site_decision',
                                  'letter_of_intent', 'lease', 'staff_consultation', 'works', 'move', 'other')),
    title         text NOT NULL CHECK (btrim(title) <> ''),
    planned       text NOT NULL
                  CHECK (planned ~ '^[0-9]{4}(-([0-9]{2}(-[0-9]{2})?|Q[1-4]|S[12]|early|mid|late))?$'),
    planned_start date NOT NULL,
    planned_end   date NOT NULL,
    baseline      text NOT NULL
                  CHECK (baseline ~ '^[0-9]{4}(-([0-9]{2}(-[0-9]{2})?|Q[1-4]|S[12]|early|mid|late))?$'),
    actual        date,
    source        text NOT NULL CHECK (btrim(source) <> ''),
    source_url    text CHECK (source_url ~ '^https?://'),
    notes         text NOT NULL DEFAULT '',
    public        boolean NOT NULL DEFAULT false,
    version       integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (planned_start <= planned_end)
);

CREATE INDEX milestones_planned_order ON milestones (relocation_id, planned_start, planned_end, id);

-- Every change of a milestone's planned date, oldest first by id.
CREATE TABLE milestone_history (
    id           bigserial PRIMARY KEY,
    milestone_id bigint NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    from_value   text NOT NULL,
    to_value     text NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    by           text NOT NULL,
    reason       text NOT NULL DEFAULT ''
);

CREATE INDEX milestone_history_milestone ON milestone_history (milestone_id, id);

-- The journal is append-only: every change, with who and the fields before → after.
CREATE TABLE journal (
    id            bigserial PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    by            text NOT NULL,
    relocation_id bigint NOT NULL REFERENCES relocations (id) ON DELETE CASCADE,
    entity        text NOT NULL CHECK (btrim(entity) <> ''),
    entity_id     bigint NOT NULL,
    action        text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'import')),
    changes       jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX journal_relocation ON journal (relocation_id, id DESC);
