-- How far from its origin a relocation's points (sites, agents' homes) may lie, in km
-- (SPEC « Coordinates »): beyond it coordinates are refused, most often swapped.
ALTER TABLE relocations ADD COLUMN max_distance_km double precision NOT NULL DEFAULT 1200
    CHECK (max_distance_km > 0 AND max_distance_km <= 20000);
