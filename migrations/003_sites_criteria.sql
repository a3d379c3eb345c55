-- Candidate sites, the criteria grid of each relocation, and the manual scores.

CREATE TABLE sites (
    id              bigserial PRIMARY KEY,
    relocation_id   bigint NOT NULL REFERENCES relocations (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (name ~ '\S'),
    address         text NOT NULL DEFAULT '',
    commune         text NOT NULL DEFAULT '',
    department      text NOT NULL DEFAULT '',
    lat             double precision CHECK (lat BETWEEN -90 AND 90),
    lon             double precision CHECK (lon BETWEEN -180 AND 180),
    kind            text NOT NULL CHECK (kind IN ('colocation', 'lease', 'state_owned')),
    surface_m2      double precision CHECK (surface_m2 > 0),
    annual_cost_eur double precision CHECK (annual_cost_eur >= 0),
    available_from  text CHECK (available_from ~ '^[0-9]{4}(-([0-9]{2}(-[0-9]{2})?|Q[1-4]|S[12]|early|mid|late))?$'),
    status          text NOT NULL DEFAULT 'candidate'
                    CHECK (status IN ('candidate', 'shortlisted', 'rejected', 'selected')),
    decision_reason text NOT NULL DEFAULT '',
    version         integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (status NOT IN ('rejected', 'selected') OR decision_reason ~ '\S'),
    UNIQUE (relocation_id, id)
);

CREATE INDEX sites_relocation ON sites (relocation_id, id);
-- At most one selected site per relocation.
CREATE UNIQUE INDEX sites_one_selected ON sites (relocation_id) WHERE status = 'selected';

-- The chosen site is one of the relocation's own sites.
ALTER TABLE relocations
    ADD CONSTRAINT relocations_chosen_site FOREIGN KEY (id, chosen_site_id)
    REFERENCES sites (relocation_id, id) ON DELETE SET NULL (chosen_site_id);

CREATE TABLE criteria (
    id            bigserial PRIMARY KEY,
    relocation_id bigint NOT NULL REFERENCES relocations (id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (name ~ '\S'),
    description   text NOT NULL DEFAULT '',
    weight        double precision NOT NULL CHECK (weight > 0),
    direction     text NOT NULL CHECK (direction IN ('higher_is_better', 'lower_is_better')),
    scale_min     double precision NOT NULL,
    scale_max     double precision NOT NULL,
    threshold     double precision,
    source        text NOT NULL DEFAULT 'manual'
                  CHECK (source IN ('manual', 'surface_coverage', 'commute_median', 'commute_share_over')),
    version       integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (scale_min < scale_max)
);

CREATE INDEX criteria_relocation ON criteria (relocation_id, id);

-- A manual value of one criterion for one site, with why.
CREATE TABLE scores (
    site_id       bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    criterion_id  bigint NOT NULL REFERENCES criteria (id) ON DELETE CASCADE,
    value         double precision NOT NULL,
    justification text NOT NULL CHECK (justification ~ '\S'),
    version       integer NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text NOT NULL,
    PRIMARY KEY (site_id, criterion_id)
);

CREATE INDEX scores_criterion ON scores (criterion_id);

-- Relocations created before this migration get the default grid too.
INSERT INTO criteria (relocation_id, name, weight, direction, scale_min, scale_max, threshold, source)
SELECT r.id, d.name, d.weight, d.direction, d.scale_min, d.scale_max, d.threshold, d.source
FROM relocations r CROSS JOIN (VALUES
    (1, 'Surface nécessaire et offres immobilières', 30.0, 'higher_is_better', 0.0, 1.5, 1.0, 'surface_coverage'),
    (2, 'Visibilité et accessibilité', 25.0, 'higher_is_better', 0.0, 10.0, NULL, 'manual'),
    (3, 'Situation des agents, temps de trajet', 25.0, 'lower_is_better', 0.0, 120.0, NULL, 'commute_median'),
    (4, 'Nécessités des métiers et pratiques de travail', 20.0, 'higher_is_better', 0.0, 10.0, NULL, 'manual')
) AS d (position, name, weight, direction, scale_min, scale_max, threshold, source)
ORDER BY r.id, d.position;
