-- Schema v5: pipelines and their runs. A pipeline is a tenant's named, ordered list of steps
-- (JSON, checked in app/). A run walks the steps; a large step is split into chunks, each done
-- by its own job, whose results commit together with the chunk's "done" mark, so a run resumes
-- after a crash without redoing finished chunks. The database keeps one running run per
-- (tenant, pipeline).

CREATE TABLE pipelines (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    steps TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT pipelines_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT pipelines_name_unique UNIQUE (tenant_id, name),
    CONSTRAINT pipelines_name_length CHECK (length(name) BETWEEN 1 AND 100),
    -- CASE, not AND: json_type raises an error (not a constraint failure) on malformed text.
    CONSTRAINT pipelines_steps_array CHECK (CASE WHEN json_valid(steps)
        THEN json_type(steps) = 'array' AND json_array_length(steps) BETWEEN 1 AND 20 ELSE 0 END)
);

CREATE TABLE pipeline_runs (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL,
    pipeline_id INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'running',
    trigger TEXT NOT NULL,
    n_steps INTEGER NOT NULL,
    step_index INTEGER NOT NULL DEFAULT 0,
    credits_spent INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    finished_at INTEGER,
    CONSTRAINT pipeline_runs_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT pipeline_runs_pipeline_fk FOREIGN KEY (tenant_id, pipeline_id)
        REFERENCES pipelines (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT pipeline_runs_status_enum CHECK (status IN ('running', 'succeeded', 'failed',
        'cancelled')),
    CONSTRAINT pipeline_runs_trigger_enum CHECK (trigger IN ('manual', 'schedule')),
    CONSTRAINT pipeline_runs_step_range CHECK (n_steps >= 1 AND step_index BETWEEN 0 AND n_steps),
    CONSTRAINT pipeline_runs_credits_range CHECK (credits_spent >= 0),
    CONSTRAINT pipeline_runs_finished_when_done CHECK ((status = 'running') = (finished_at IS NULL))
);
-- The database, not a check-then-insert, keeps one running run per (tenant, pipeline): of two
-- "run now" requests (or a schedule and a click) the second insert fails.
CREATE UNIQUE INDEX pipeline_runs_one_running ON pipeline_runs (tenant_id, pipeline_id)
    WHERE status = 'running';
CREATE INDEX pipeline_runs_pipeline_idx ON pipeline_runs (tenant_id, pipeline_id, id);

CREATE TABLE pipeline_run_steps (
    tenant_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    step_index INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'running',
    chunks_total INTEGER NOT NULL DEFAULT 0,
    chunks_done INTEGER NOT NULL DEFAULT 0,
    n_items INTEGER NOT NULL DEFAULT 0,
    n_rejected INTEGER NOT NULL DEFAULT 0,
    -- What the step made or used, e.g. {"import_id": 3} or {"file": "...", "export_id": 9}.
    detail TEXT NOT NULL DEFAULT '{}',
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    PRIMARY KEY (tenant_id, run_id, step_index),
    CONSTRAINT pipeline_run_steps_run_fk FOREIGN KEY (tenant_id, run_id)
        REFERENCES pipeline_runs (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT pipeline_run_steps_status_enum CHECK (status IN ('running', 'succeeded',
        'failed')),
    CONSTRAINT pipeline_run_steps_chunks_range CHECK (chunks_done BETWEEN 0 AND chunks_total),
    CONSTRAINT pipeline_run_steps_counts_range CHECK (n_items >= 0 AND n_rejected BETWEEN 0
        AND n_items),
    CONSTRAINT pipeline_run_steps_detail_object CHECK (CASE WHEN json_valid(detail)
        THEN json_type(detail) = 'object' ELSE 0 END)
);

-- A chunk covers items [first_item, first_item + n_planned) of its step (CSV records, or
-- contacts in id order). `done` flips once, in the transaction that writes the chunk's work.
CREATE TABLE pipeline_chunks (
    tenant_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    step_index INTEGER NOT NULL,
    chunk INTEGER NOT NULL,
    first_item INTEGER NOT NULL,
    n_planned INTEGER NOT NULL,
    is_done INTEGER NOT NULL DEFAULT 0,
    n_items INTEGER NOT NULL DEFAULT 0,
    n_rejected INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER,
    PRIMARY KEY (tenant_id, run_id, step_index, chunk),
    CONSTRAINT pipeline_chunks_step_fk FOREIGN KEY (tenant_id, run_id, step_index)
        REFERENCES pipeline_run_steps (tenant_id, run_id, step_index) ON DELETE CASCADE,
    CONSTRAINT pipeline_chunks_is_done_bool CHECK (is_done IN (0, 1)),
    CONSTRAINT pipeline_chunks_range CHECK (first_item >= 0 AND n_planned >= 1)
);

-- Credits spent by a run, one row per paid call keyed by its idempotency key: a retried call
-- that the provider answers from its own idempotency cache is not counted twice, and a charge
-- commits on its own, so a run that fails afterwards still shows what it spent.
CREATE TABLE pipeline_charges (
    tenant_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL,
    credits INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, run_id, idempotency_key),
    CONSTRAINT pipeline_charges_run_fk FOREIGN KEY (tenant_id, run_id)
        REFERENCES pipeline_runs (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT pipeline_charges_credits_range CHECK (credits >= 0)
);
