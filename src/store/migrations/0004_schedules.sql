-- Schema v4: cron schedules. Each names a job kind and payload to enqueue, a cron expression
-- and the IANA zone it is read in (both checked in jobs/ before they are stored), and the next
-- fire time. The scheduler serves every tenant: it takes the enabled schedules that are due
-- and moves each to its next fire time in the transaction that enqueues its job.

CREATE TABLE schedules (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    job_kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    cron TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    is_enabled INTEGER NOT NULL DEFAULT 1,
    next_run_at INTEGER NOT NULL,
    last_run_at INTEGER,
    -- The job the last firing enqueued. Not a foreign key: finished jobs may be pruned, and
    -- the schedule keeps the id as history.
    last_job_id INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT schedules_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT schedules_name_unique UNIQUE (tenant_id, name),
    CONSTRAINT schedules_name_length CHECK (length(name) BETWEEN 1 AND 100),
    CONSTRAINT schedules_job_kind_length CHECK (length(job_kind) BETWEEN 1 AND 100),
    CONSTRAINT schedules_cron_length CHECK (length(cron) BETWEEN 1 AND 200),
    CONSTRAINT schedules_time_zone_length CHECK (length(time_zone) BETWEEN 1 AND 64),
    CONSTRAINT schedules_is_enabled_bool CHECK (is_enabled IN (0, 1)),
    -- CASE, not AND: json_type raises an error (not a constraint failure) on malformed text.
    CONSTRAINT schedules_payload_object CHECK (CASE WHEN json_valid(payload)
        THEN json_type(payload) = 'object' ELSE 0 END)
);
-- The scheduler's due query: enabled schedules whose next fire time has come, oldest first.
CREATE INDEX schedules_due_idx ON schedules (is_enabled, next_run_at, id);
