-- The agents' roster of a relocation (pseudonymous: no names), imported whole from a CSV
-- file and replaced whole; measured minutes to sites are kept by site id.
CREATE TABLE agents (
    relocation_id   bigint NOT NULL REFERENCES relocations (id) ON DELETE CASCADE,
    agent_ref       text NOT NULL CHECK (agent_ref ~ '^[A-Za-z0-9_-]{1,64}$'),
    home_commune    text NOT NULL DEFAULT '',
    home_lat        double precision CHECK (home_lat BETWEEN -90 AND 90),
    home_lon        double precision CHECK (home_lon BETWEEN -180 AND 180),
    current_minutes double precision CHECK (current_minutes >= 0),
    site_minutes    jsonb NOT NULL DEFAULT '{}',  -- {"<site id>": minutes}
    PRIMARY KEY (relocation_id, agent_ref),
    CHECK ((home_lat IS NULL) = (home_lon IS NULL))
);

-- Each site's commute figures, computed from the roster in the transaction of every change
-- of the roster, of the site's coordinates or of the relocation's settings; never per view.
CREATE TABLE commute_figures (
    site_id          bigint PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
    relocation_id    bigint NOT NULL REFERENCES relocations (id) ON DELETE CASCADE,
    agents           integer NOT NULL CHECK (agents >= 0),
    estimated        integer NOT NULL CHECK (estimated >= 0),
    estimated_current integer NOT NULL DEFAULT 0 CHECK (estimated_current >= 0),
    mean             double precision,
    median           double precision,
    p90              double precision,
    mean_delta       double precision,
    share_over_limit double precision,
    share_shorter    double precision,
    withheld         text,
    changes          integer[] NOT NULL DEFAULT '{0,0,0,0,0,0,0,0}',
    computed_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((withheld IS NULL) = (median IS NOT NULL))
);

CREATE INDEX commute_figures_relocation ON commute_figures (relocation_id, site_id);

-- Existing sites: no roster exists yet.
INSERT INTO commute_figures (site_id, relocation_id, agents, estimated, withheld)
SELECT id, relocation_id, 0, 0, 'aucun fichier des agents importé' FROM sites;

-- A criterion set aside keeps its weight and values but takes no part in the ranking.
ALTER TABLE criteria ADD COLUMN active boolean NOT NULL DEFAULT true;

-- When a site's selection or rejection was decided, as the sources date it (a FuzzyDate).
ALTER TABLE sites ADD COLUMN decided text
    CHECK (decided ~ '^[0-9]{4}(-([0-9]{2}(-[0-9]{2})?|Q[1-4]|S[12]|early|mid|late))?$');
