-- Schema v3: the durable job queue. Jobs are claimed with a lease in one statement, retried by
-- error class, and end succeeded, discarded (the dead letters, error history kept) or
-- cancelled. One unfinished job per (tenant, kind, unique key) is enforced by the database.

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'available',
    priority INTEGER NOT NULL DEFAULT 0,
    attempt INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 25,
    run_at INTEGER NOT NULL,
    lease_expires_at INTEGER,
    heartbeat_at INTEGER,
    worker_id TEXT,
    unique_key TEXT,
    -- Set at enqueue (given, or "<kind>:<id>" once the id is known); stable across attempts.
    idempotency_key TEXT,
    last_error_class TEXT,
    last_error_code TEXT,
    last_error_message TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    finished_at INTEGER,
    CONSTRAINT jobs_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT jobs_idempotency_unique UNIQUE (tenant_id, idempotency_key),
    CONSTRAINT jobs_state_enum CHECK (state IN ('available', 'running', 'succeeded', 'retryable',
        'discarded', 'cancelled')),
    CONSTRAINT jobs_kind_length CHECK (length(kind) BETWEEN 1 AND 100),
    CONSTRAINT jobs_attempts_range CHECK (max_attempts BETWEEN 1 AND 1000
        AND attempt BETWEEN 0 AND max_attempts),
    CONSTRAINT jobs_lease_when_running CHECK ((state = 'running') = (lease_expires_at IS NOT NULL)),
    CONSTRAINT jobs_error_class_enum CHECK (last_error_class IS NULL OR last_error_class IN
        ('transient', 'rate_limited', 'auth', 'permanent', 'duplicate'))
);
-- The database, not a check-then-insert, keeps one unfinished job per unique key.
CREATE UNIQUE INDEX jobs_unique_unfinished ON jobs (tenant_id, kind, unique_key)
    WHERE unique_key IS NOT NULL AND state IN ('available', 'running', 'retryable');
CREATE INDEX jobs_claim_idx ON jobs (state, kind, run_at, priority, id);
CREATE INDEX jobs_lease_idx ON jobs (state, lease_expires_at);
CREATE INDEX jobs_tenant_state_idx ON jobs (tenant_id, state, id);

CREATE TABLE job_attempts (
    tenant_id INTEGER NOT NULL,
    job_id INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    worker_id TEXT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    outcome TEXT,
    error_class TEXT,
    error_code TEXT,
    error_message TEXT,
    PRIMARY KEY (tenant_id, job_id, attempt),
    CONSTRAINT job_attempts_job_fk FOREIGN KEY (tenant_id, job_id)
        REFERENCES jobs (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT job_attempts_outcome_enum CHECK (outcome IS NULL OR outcome IN ('succeeded',
        'failed', 'lease_expired', 'released', 'cancelled'))
);
