-- What purged protection cases leave behind: anonymous counts by the month the case closed
-- (cases by profile and by risk, referrals by how they ended), nothing that names anyone.

CREATE TABLE protection_statistics (
    month TEXT NOT NULL,
    measure TEXT NOT NULL,
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (month, measure, value)
);
