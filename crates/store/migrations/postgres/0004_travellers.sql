-- One row per person a country holds, pointing at their latest crossing: what a traveller search
-- compares (the folded name, birth date, document number) and, when that crossing is an entry
-- with a permitted stay, the instant the stay ends (open overstays are the rows past it).
-- Kept by the store with every crossing it stores; filled for the crossings stored before it
-- when the store opens.

CREATE TABLE travellers (
    person_id UUID PRIMARY KEY,
    country TEXT NOT NULL,
    name_key TEXT NOT NULL,
    birth_date TEXT,
    document_number TEXT NOT NULL,
    last_crossing UUID NOT NULL,
    last_at BIGINT NOT NULL,
    stay_until BIGINT
);
CREATE INDEX travellers_by_document ON travellers (country, document_number);
CREATE INDEX travellers_by_stay ON travellers (country, stay_until) WHERE stay_until IS NOT NULL;
