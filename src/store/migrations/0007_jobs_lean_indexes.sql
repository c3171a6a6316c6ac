-- Schema v7: leaner job indexes. Every state change rewrote an entry in each index that
-- starts with `state`; the queries that need them look only at running jobs (the per-kind
-- concurrency count, the lease reclaim, the dead-worker scan), so partial indexes over running
-- jobs serve them, and the claim has jobs_due_idx (v6). Fewer index writes per claim and
-- completion (bench/jobs_bench.sh).
DROP INDEX jobs_claim_idx;
DROP INDEX jobs_lease_idx;
CREATE INDEX jobs_running_idx ON jobs (kind, lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_running_lease_idx ON jobs (lease_expires_at) WHERE state = 'running';
