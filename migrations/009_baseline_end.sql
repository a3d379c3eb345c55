-- The last day of each milestone's baseline (its first planned interval), so that the
-- portfolio computes slips in SQL: slip = planned_end − baseline_end.
ALTER TABLE milestones ADD COLUMN baseline_end date;

UPDATE milestones SET baseline_end = CASE
    WHEN baseline ~ '^\d{4}-\d{2}-\d{2}$' THEN baseline::date
    WHEN baseline ~ '^\d{4}-\d{2}$' THEN (to_date(baseline, 'YYYY-MM') + interval '1 month' - interval '1 day')::date
    WHEN baseline ~ '^\d{4}-Q[1-4]$' THEN (make_date(left(baseline, 4)::int, right(baseline, 1)::int * 3, 1) + interval '1 month' - interval '1 day')::date
    WHEN baseline ~ '^\d{4}-S1$' THEN make_date(left(baseline, 4)::int, 6, 30)
    WHEN baseline ~ '^\d{4}-early$' THEN make_date(left(baseline, 4)::int, 4, 30)
    WHEN baseline ~ '^\d{4}-mid$' THEN make_date(left(baseline, 4)::int, 8, 31)
    ELSE make_date(left(baseline, 4)::int, 12, 31) -- YYYY, YYYY-S2, YYYY-late
END;

ALTER TABLE milestones ALTER COLUMN baseline_end SET NOT NULL;

-- The portfolio's next milestone per relocation reads the open ones in planned order.
CREATE INDEX milestones_open ON milestones (relocation_id, planned_start, planned_end, id) WHERE actual IS NULL;
