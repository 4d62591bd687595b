-- The payments an intermediary relayed are found by the journal entry that committed them
-- (`GET /payments` lists them beside the ones it paid and received).
CREATE INDEX payments_journal_seq ON payments (journal_seq);
