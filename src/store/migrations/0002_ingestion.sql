-- Schema v2: ingestion. Imports with per-row outcomes, field provenance (JSON per record:
-- field -> {source, at}; trust per source in lead_sources), normalized extras, score history, and exports with the
-- contacts they carried (for the re-contact window).

ALTER TABLE contacts ADD COLUMN phone_type TEXT;
ALTER TABLE contacts ADD COLUMN phone_region TEXT;
ALTER TABLE contacts ADD COLUMN time_zone TEXT;
ALTER TABLE contacts ADD COLUMN email_is_role INTEGER NOT NULL DEFAULT 0
    CONSTRAINT contacts_email_is_role_bool CHECK (email_is_role IN (0, 1));
ALTER TABLE contacts ADD COLUMN email_is_free INTEGER NOT NULL DEFAULT 0
    CONSTRAINT contacts_email_is_free_bool CHECK (email_is_free IN (0, 1));
ALTER TABLE contacts ADD COLUMN name_folded TEXT;
ALTER TABLE contacts ADD COLUMN score_breakdown TEXT;
ALTER TABLE contacts ADD COLUMN provenance TEXT NOT NULL DEFAULT '{}';
ALTER TABLE contacts ADD COLUMN last_contacted_at INTEGER;
CREATE INDEX contacts_name_idx ON contacts (tenant_id, name_folded, company_id);
CREATE INDEX contacts_zip_idx ON contacts (tenant_id, zip);

ALTER TABLE companies ADD COLUMN sector TEXT;
ALTER TABLE companies ADD COLUMN county TEXT;
ALTER TABLE companies ADD COLUMN provenance TEXT NOT NULL DEFAULT '{}';
CREATE INDEX companies_zip_idx ON companies (tenant_id, zip);
CREATE INDEX companies_sector_idx ON companies (tenant_id, sector, state, county, city);

-- Lead sources and their trust rank (0..100) for survivorship: between two non-empty values of
-- a field, the more trusted source wins.
CREATE TABLE lead_sources (
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    trust INTEGER NOT NULL DEFAULT 50,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, name),
    CONSTRAINT lead_sources_name_length CHECK (length(name) BETWEEN 1 AND 100),
    CONSTRAINT lead_sources_trust_range CHECK (trust BETWEEN 0 AND 100)
);

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    source TEXT NOT NULL,
    list_id INTEGER,
    status TEXT NOT NULL,
    n_rows INTEGER NOT NULL DEFAULT 0,
    n_accepted INTEGER NOT NULL DEFAULT 0,
    n_merged INTEGER NOT NULL DEFAULT 0,
    n_duplicate INTEGER NOT NULL DEFAULT 0,
    n_suppressed INTEGER NOT NULL DEFAULT 0,
    n_rejected INTEGER NOT NULL DEFAULT 0,
    mapping TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    CONSTRAINT imports_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT imports_list_fk FOREIGN KEY (tenant_id, list_id) REFERENCES lists (tenant_id, id),
    CONSTRAINT imports_status_enum CHECK (status IN ('running', 'completed', 'failed')),
    CONSTRAINT imports_sha256_format CHECK (length(file_sha256) = 64),
    CONSTRAINT imports_counts_add_up CHECK (n_rows = n_accepted + n_merged + n_duplicate
        + n_suppressed + n_rejected)
);
-- Finds the completed import of a file (content) and source: re-importing it is a no-op that
-- answers with that import. Not UNIQUE: `prospect import --force` is a deliberate second
-- import of the same file, and rows deduplicate against the stored leads anyway.
CREATE INDEX imports_file_idx ON imports (tenant_id, file_sha256, source, status);

CREATE TABLE import_rows (
    tenant_id INTEGER NOT NULL,
    import_id INTEGER NOT NULL,
    line INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    contact_id INTEGER,
    reason TEXT,
    raw TEXT,
    PRIMARY KEY (tenant_id, import_id, line),
    CONSTRAINT import_rows_import_fk FOREIGN KEY (tenant_id, import_id)
        REFERENCES imports (tenant_id, id) ON DELETE CASCADE,
    -- Erasing a contact erases its import trail too (the raw rows hold its data).
    CONSTRAINT import_rows_contact_fk FOREIGN KEY (tenant_id, contact_id)
        REFERENCES contacts (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT import_rows_outcome_enum CHECK (outcome IN ('accepted', 'merged', 'duplicate',
        'suppressed', 'rejected')),
    CONSTRAINT import_rows_reason_present CHECK ((outcome = 'rejected') = (reason IS NOT NULL))
);

CREATE TABLE score_history (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    score INTEGER NOT NULL,
    breakdown TEXT NOT NULL,
    icp_version TEXT NOT NULL,
    scored_at INTEGER NOT NULL,
    CONSTRAINT score_history_contact_fk FOREIGN KEY (tenant_id, contact_id)
        REFERENCES contacts (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT score_history_score_range CHECK (score BETWEEN 0 AND 100)
);
CREATE INDEX score_history_contact_idx ON score_history (tenant_id, contact_id, scored_at);

CREATE TABLE exports (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    format TEXT NOT NULL,
    list_id INTEGER,
    min_score INTEGER,
    n_rows INTEGER NOT NULL DEFAULT 0,
    n_skipped_window INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    CONSTRAINT exports_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT exports_format_enum CHECK (format IN ('generic', 'hubspot', 'vanillasoft'))
);

CREATE TABLE export_items (
    tenant_id INTEGER NOT NULL,
    export_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    exported_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, export_id, contact_id),
    CONSTRAINT export_items_export_fk FOREIGN KEY (tenant_id, export_id)
        REFERENCES exports (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT export_items_contact_fk FOREIGN KEY (tenant_id, contact_id)
        REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX export_items_contact_idx ON export_items (tenant_id, contact_id, exported_at);
