-- « Modifiée entre-temps par … » reads the newest journal entry of one record.
CREATE INDEX journal_entity ON journal (entity, entity_id, id DESC);
