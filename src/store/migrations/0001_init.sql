-- Schema v1: tenants, access (users, API keys), leads (companies, contacts), lists, tags,
-- suppressions, consents and the audit log.
--
-- Conventions: every tenant-owned table has tenant_id and UNIQUE (tenant_id, id), and children
-- reference parents through (tenant_id, parent_id), so the database itself refuses a row that
-- points into another tenant. Times are UTC epoch milliseconds (INTEGER). Enum-like columns
-- carry named CHECK constraints. Natural keys are UNIQUE per tenant.

CREATE TABLE tenants (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    phone_region TEXT NOT NULL DEFAULT 'US',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT tenants_slug_unique UNIQUE (slug),
    CONSTRAINT tenants_slug_format CHECK (length(slug) BETWEEN 1 AND 63
        AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*'),
    CONSTRAINT tenants_name_length CHECK (length(name) BETWEEN 1 AND 200),
    CONSTRAINT tenants_status_enum CHECK (status IN ('active', 'suspended')),
    CONSTRAINT tenants_phone_region_format CHECK (length(phone_region) = 2
        AND phone_region NOT GLOB '*[^A-Z]*')
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    email_norm TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    password_hash TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_login_at INTEGER,
    CONSTRAINT users_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT users_email_unique UNIQUE (tenant_id, email_norm),
    CONSTRAINT users_role_enum CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    CONSTRAINT users_status_enum CHECK (status IN ('active', 'disabled')),
    CONSTRAINT users_password_hash_format CHECK (password_hash IS NULL
        OR password_hash LIKE '$argon2id$%')
);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER,
    CONSTRAINT api_keys_tenant_id_unique UNIQUE (tenant_id, id),
    -- The prefix is the public lookup handle of a key, so it is unique across tenants.
    CONSTRAINT api_keys_prefix_unique UNIQUE (prefix),
    CONSTRAINT api_keys_prefix_format CHECK (length(prefix) = 8
        AND prefix NOT GLOB '*[^a-z0-9]*'),
    CONSTRAINT api_keys_token_hash_format CHECK (length(token_hash) = 64),
    CONSTRAINT api_keys_name_length CHECK (length(name) BETWEEN 1 AND 100),
    CONSTRAINT api_keys_scopes_enum CHECK (scopes IN ('read', 'write', 'admin', 'read,write',
        'read,admin', 'write,admin', 'read,write,admin'))
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, id);

CREATE TABLE companies (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    domain TEXT,
    website TEXT,
    phone TEXT,
    industry TEXT,
    sic TEXT,
    naics TEXT,
    employees INTEGER,
    revenue_usd INTEGER,
    city TEXT,
    state TEXT,
    zip TEXT,
    country TEXT,
    linkedin_url TEXT,
    custom_fields TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT companies_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT companies_domain_unique UNIQUE (tenant_id, domain),
    CONSTRAINT companies_name_length CHECK (length(name) BETWEEN 1 AND 300),
    CONSTRAINT companies_employees_range CHECK (employees IS NULL OR employees >= 0),
    CONSTRAINT companies_revenue_range CHECK (revenue_usd IS NULL OR revenue_usd >= 0),
    CONSTRAINT companies_sic_format CHECK (sic IS NULL OR (length(sic) BETWEEN 2 AND 4
        AND sic NOT GLOB '*[^0-9]*')),
    CONSTRAINT companies_naics_format CHECK (naics IS NULL OR (length(naics) BETWEEN 2 AND 6
        AND naics NOT GLOB '*[^0-9]*'))
);
CREATE INDEX companies_name_idx ON companies (tenant_id, name_folded);
CREATE INDEX companies_place_idx ON companies (tenant_id, state, city);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    company_id INTEGER,
    first_name TEXT,
    last_name TEXT,
    full_name TEXT,
    email TEXT,
    email_norm TEXT,
    phone TEXT,
    phone_e164 TEXT,
    title TEXT,
    city TEXT,
    state TEXT,
    zip TEXT,
    country TEXT,
    linkedin_url TEXT,
    source TEXT,
    score INTEGER,
    is_suppressed INTEGER NOT NULL DEFAULT 0,
    custom_fields TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT contacts_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT contacts_email_unique UNIQUE (tenant_id, email_norm),
    CONSTRAINT contacts_company_fk FOREIGN KEY (tenant_id, company_id)
        REFERENCES companies (tenant_id, id),
    CONSTRAINT contacts_score_range CHECK (score IS NULL OR score BETWEEN 0 AND 100),
    CONSTRAINT contacts_is_suppressed_bool CHECK (is_suppressed IN (0, 1)),
    CONSTRAINT contacts_phone_e164_format CHECK (phone_e164 IS NULL
        OR (phone_e164 GLOB '+[1-9]*' AND length(phone_e164) BETWEEN 8 AND 16
            AND substr(phone_e164, 2) NOT GLOB '*[^0-9]*')),
    CONSTRAINT contacts_identity_present CHECK (email_norm IS NOT NULL
        OR phone_e164 IS NOT NULL OR full_name IS NOT NULL OR last_name IS NOT NULL)
);
CREATE INDEX contacts_phone_idx ON contacts (tenant_id, phone_e164);
CREATE INDEX contacts_company_idx ON contacts (tenant_id, company_id);
CREATE INDEX contacts_state_idx ON contacts (tenant_id, state, city);
CREATE INDEX contacts_score_idx ON contacts (tenant_id, score, id);

CREATE TABLE lists (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT lists_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT lists_name_unique UNIQUE (tenant_id, name),
    CONSTRAINT lists_name_length CHECK (length(name) BETWEEN 1 AND 200)
);

CREATE TABLE list_members (
    tenant_id INTEGER NOT NULL,
    list_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, list_id, contact_id),
    CONSTRAINT list_members_list_fk FOREIGN KEY (tenant_id, list_id)
        REFERENCES lists (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT list_members_contact_fk FOREIGN KEY (tenant_id, contact_id)
        REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX list_members_contact_idx ON list_members (tenant_id, contact_id);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT tags_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT tags_name_unique UNIQUE (tenant_id, name),
    CONSTRAINT tags_name_length CHECK (length(name) BETWEEN 1 AND 100)
);

CREATE TABLE contact_tags (
    tenant_id INTEGER NOT NULL,
    tag_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, tag_id, contact_id),
    CONSTRAINT contact_tags_tag_fk FOREIGN KEY (tenant_id, tag_id)
        REFERENCES tags (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT contact_tags_contact_fk FOREIGN KEY (tenant_id, contact_id)
        REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_tags_contact_idx ON contact_tags (tenant_id, contact_id);

CREATE TABLE suppressions (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT suppressions_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT suppressions_value_unique UNIQUE (tenant_id, kind, value),
    CONSTRAINT suppressions_kind_enum CHECK (kind IN ('email', 'phone', 'domain')),
    CONSTRAINT suppressions_reason_enum CHECK (reason IN ('unsubscribe', 'bounce', 'complaint',
        'manual', 'do_not_call', 'legal', 'other')),
    CONSTRAINT suppressions_value_length CHECK (length(value) BETWEEN 1 AND 320)
);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    evidence TEXT,
    recorded_at INTEGER NOT NULL,
    CONSTRAINT consents_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT consents_contact_fk FOREIGN KEY (tenant_id, contact_id)
        REFERENCES contacts (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT consents_channel_enum CHECK (channel IN ('email', 'sms', 'call', 'linkedin')),
    CONSTRAINT consents_status_enum CHECK (status IN ('granted', 'revoked'))
);
CREATE INDEX consents_contact_idx ON consents (tenant_id, contact_id, channel, recorded_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    actor_type TEXT NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    detail TEXT NOT NULL DEFAULT '{}',
    request_id TEXT,
    created_at INTEGER NOT NULL,
    CONSTRAINT audit_log_tenant_id_unique UNIQUE (tenant_id, id),
    CONSTRAINT audit_log_actor_type_enum CHECK (actor_type IN ('user', 'api_key', 'cli',
        'system'))
);
CREATE INDEX audit_log_time_idx ON audit_log (tenant_id, created_at, id);
