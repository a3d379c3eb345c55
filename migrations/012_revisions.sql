-- What a drawn page depends on, as numbers that only grow (ui keeps pages drawn under
-- them: see ui/drawn.go).
--   relocations.revision   grows with every action on that relocation (relocation.Act);
--   revisions.relocations  grows with every action on any relocation, creations included;
--   revisions.accounts     grows with every account change (names show on many pages).
-- They are written inside the action's transaction, under its locks, so two reads of
-- the same number see the same state.
ALTER TABLE relocations ADD COLUMN revision bigint NOT NULL DEFAULT 1;

CREATE TABLE revisions (
    single      boolean PRIMARY KEY DEFAULT true CHECK (single), -- one row, always
    relocations bigint NOT NULL DEFAULT 1,
    accounts    bigint NOT NULL DEFAULT 1
);
INSERT INTO revisions DEFAULT VALUES;
