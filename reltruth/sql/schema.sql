-- the workspace schema: the canonical tables of docs/ingest.md plus bookkeeping.
-- Ids are VARCHAR. Where an export carries only names, the id is derived from the name
-- (see reltruth.workspace.name_key): lower-case, trimmed, inner whitespace collapsed.
-- Big tables carry no primary key on purpose: de-duplication is an anti-join on the row's
-- key at load time, which is far cheaper than maintaining an ART index over millions of rows.
-- A row's key is row_key where it is stored, else 'id:' || the export's own id (activities:
-- activity_id; orders: order_id || '/' || line_no): a column of millions of unique strings
-- that repeats the id cost a second per million rows to write (ingest.stage.NATURAL_KEYS).

-- canonical tables: generated from reltruth/schema.py (python -m reltruth.schema)

create table if not exists reps (
    rep_id varchar primary key,
    rep_name varchar,
    manager varchar,
    team varchar,
    region varchar,
    email varchar,
    quota double,                 -- annual revenue target, reporting currency
    is_implicit boolean default false -- created from a rep column of another table
);

create table if not exists accounts (
    account_id varchar primary key,
    account_name varchar,
    owner_rep_id varchar,
    potential double,             -- annual wallet, reporting currency
    potential_estimated boolean default false,
    segment varchar,
    region varchar,
    relationship_rating integer,  -- 1..5, the rep's own claim
    owner_since date,
    company_revenue double,
    employees bigint
);

create table if not exists activities (
    row_key varchar,              -- null: the key is 'id:' || activity_id; else a content hash
    activity_id varchar,
    activity_date date not null,
    rep_id varchar not null,
    account_id varchar not null,
    activity_type varchar,        -- visit | meeting | call | email | other
    duration_minutes double,
    duration_estimated boolean default false,
    travel_minutes double,
    contact_role varchar,
    source_file varchar
);

create table if not exists orders (
    row_key varchar,              -- null: 'id:' || order_id || '/' || line_no; else a hash or deal
    order_id varchar,
    line_no varchar,              -- the invoice line, where the export numbers its lines
    order_date date not null,
    account_id varchar not null,
    rep_id varchar,               -- null = the account owner
    net_amount double not null,
    list_amount double,           -- value at list price, null where unknown
    product varchar,
    product_category varchar,
    quantity double,
    currency varchar,
    source varchar default 'orders', -- orders | deals (won deals of an opportunities export)
    source_file varchar
);

-- lost and open deals of an opportunities export (won ones go to orders as well)
create table if not exists pipeline (
    row_key varchar not null,
    deal_id varchar,
    account_id varchar,
    rep_id varchar,
    product varchar,
    stage varchar,                -- won | lost | open (normalised); raw stage in stage_raw
    stage_raw varchar,
    engage_date date,
    close_date date,
    value double,
    list_amount double,
    source_file varchar
);

create table if not exists price_list (
    product varchar primary key,
    list_price double not null,
    series varchar
);

-- end of the generated canonical tables

-- accounts whose owner reltruth inferred (no owner in any export): the rep with the most
-- revenue on the account, else the most hours (docs/ingest.md "Inferred owners")
create table if not exists inferred_owners (
    account_id varchar primary key,
    basis varchar not null            -- revenue | hours
);

-- rows whose account (or rep) could not be matched; re-tried whenever new accounts load
create table if not exists unmatched (
    target_table varchar not null,   -- activities | orders | pipeline
    row_key varchar not null,
    source_file varchar,
    line bigint,
    account_name varchar,
    rep_name varchar,
    payload json                     -- the canonical row as JSON, to insert once matched
);

create table if not exists mappings (
    header_signature varchar primary key,  -- sorted, normalised headers joined by '|'
    target_table varchar not null,
    mapping json not null,                 -- {"File header": "canonical_field" | null}
    saved_at timestamp default current_timestamp
);

create table if not exists settings (
    key varchar primary key,
    value json not null
);

create table if not exists commitments (
    commitment_id varchar primary key,
    rep_id varchar not null,
    agreed_on date not null,
    text varchar not null,
    target_kind varchar,      -- hours | discount | revenue | penetration | alignment | null (free text)
    account_id varchar,
    target_op varchar,        -- '>=' | '<='
    target_value double,      -- hours, fraction (0.12), or currency
    due_date date,
    created_at timestamp default current_timestamp,
    updated_at timestamp default current_timestamp
);

-- the manager's verdict on a commitment without a measurable target (done | not_done | partly)
create table if not exists commitment_status (
    commitment_id varchar primary key,
    status varchar not null,
    set_on date,
    updated_at timestamp default current_timestamp
);

-- one row per one-on-one (rep, date): the window and the sheet as they were, and the notes
create table if not exists meetings (
    rep_id varchar not null,
    met_on date not null,
    as_of date not null,          -- the window the sheet was made for
    window_months integer not null,
    sheet json not null,          -- Sheet.to_dict() as assembled that day (reopened exactly)
    notes varchar not null default '',
    saved_at timestamp default current_timestamp,
    primary key (rep_id, met_on)
);

create table if not exists imports (
    import_id varchar primary key,
    loaded_at timestamp default current_timestamp,
    file varchar,
    target_table varchar,
    rows_read bigint,
    rows_loaded bigint,
    rows_duplicate bigint,
    rows_rejected bigint,
    report json
);

-- one row: the version of the loaded data. Every import, undo, potential estimate and clear
-- adds one in its own transaction (Workspace.bump_data_version), so that every session and
-- process holding numbers computed from this workspace can tell they are stale.
create table if not exists data_version (version bigint not null);
insert into data_version select 0 where not exists (select 1 from data_version);
