-- How long a counter took from opening its form to recording the crossing, in milliseconds:
-- the processing time supervisors watch. Empty for crossings recorded otherwise.

ALTER TABLE crossings ADD COLUMN processing_ms INTEGER;
