-- Schema v6: an index in the claim's own order. The claim takes the due jobs of a kind by
-- priority (highest first), then run_at, then id; jobs_claim_idx leads with run_at, so SQLite
-- sorted every waiting job of the kind on each claim (15 ms a claim at 100,000 waiting, found
-- by bench/jobs_bench.sh). Partial: finished jobs, the bulk of the table, are not in it.
CREATE INDEX jobs_due_idx ON jobs (kind, priority DESC, run_at, id)
    WHERE state IN ('available', 'retryable');
