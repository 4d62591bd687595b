-- Upgrade steps SQL alone cannot do, left for the hub to complete once at start-up
-- (`Store::complete_upgrades`); each step deletes its row when done, so later starts skip it.
CREATE TABLE pending_upgrades (
    name TEXT PRIMARY KEY
);
-- Payment rows stored before receipts were kept in them get the receipt signed once (a new
-- database has none: the step then finds nothing to do).
INSERT INTO pending_upgrades (name) VALUES ('payment_receipts');
