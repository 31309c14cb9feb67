-- How many crossings each finest statistical cell holds: the port's local day, the port, the
-- direction and the traveller's nationality, category, sex and age group. Kept by the store in
-- the transaction of every crossing it stores; the standard tables add these up instead of the
-- raw records. The crossings stored before this table are counted by the node (it knows each
-- port's time zone) the first time a table is asked for: `node_meta.crossing_counts` says when
-- the counts are whole.

CREATE TABLE crossing_counts (
    country TEXT NOT NULL,
    day TEXT NOT NULL,
    port_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    nationality TEXT NOT NULL,
    category TEXT NOT NULL,
    sex TEXT NOT NULL,
    age_group TEXT NOT NULL,
    crossings INTEGER NOT NULL,
    PRIMARY KEY (country, day, port_id, direction, nationality, category, sex, age_group)
) WITHOUT ROWID;

-- The same counts a month at a time (`day` is the month's first day): a table by month,
-- quarter or year adds up a seventeenth as many rows.
CREATE TABLE crossing_counts_monthly (
    country TEXT NOT NULL,
    day TEXT NOT NULL,
    port_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    nationality TEXT NOT NULL,
    category TEXT NOT NULL,
    sex TEXT NOT NULL,
    age_group TEXT NOT NULL,
    crossings INTEGER NOT NULL,
    PRIMARY KEY (country, day, port_id, direction, nationality, category, sex, age_group)
) WITHOUT ROWID;

-- A store with no crossing yet has whole counts from the start.
INSERT INTO node_meta (key, value) SELECT 'crossing_counts', 'whole' WHERE NOT EXISTS (SELECT 1 FROM crossings);
