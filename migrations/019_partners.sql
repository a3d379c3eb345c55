-- Partner bodies of a relocation (SPEC: « proximité géographique avec les organismes
-- partenaires »), and the two criterion sources computed from the data they and the sites
-- give: partner_proximity (weighted mean estimated minutes from a site to the partners) and
-- cost_per_resident (a site's annual cost ÷ the relocation's residents).
CREATE TABLE partners (
    id            bigserial PRIMARY KEY,
    relocation_id bigint NOT NULL REFERENCES relocations (id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (name ~ '\S'),
    address       text NOT NULL DEFAULT '',
    lat           double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon           double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    weight        double precision NOT NULL DEFAULT 1 CHECK (weight > 0),
    version       integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX partners_relocation ON partners (relocation_id, id);

-- A change of a partner raises its relocation's revision, like any row of a relocation
-- (migration 013).
CREATE TRIGGER partners_revise_ins AFTER INSERT ON partners REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION revise_from_new();
CREATE TRIGGER partners_revise_upd AFTER UPDATE ON partners REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION revise_from_new();
CREATE TRIGGER partners_revise_del AFTER DELETE ON partners REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION revise_from_old();

ALTER TABLE criteria DROP CONSTRAINT criteria_source_check;
ALTER TABLE criteria ADD CONSTRAINT criteria_source_check
    CHECK (source IN ('manual', 'surface_coverage', 'commute_median', 'commute_share_over',
                      'partner_proximity', 'cost_per_resident'));
