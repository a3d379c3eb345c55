-- Free notes on a relocation (what a reader must know: figures given for illustration…).
ALTER TABLE relocations ADD COLUMN notes text NOT NULL DEFAULT '';
