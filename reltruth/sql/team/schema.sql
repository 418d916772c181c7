-- the team-mode server store: one row per (member e-mail, workspace), one row per audited access
create table if not exists members (
    email varchar not null,        -- lower-case, as the identity provider signs it
    role varchar not null check (role in ('admin', 'manager', 'rep')),
    workspace varchar not null,    -- '' for an admin's row; else a workspace name
    rep_id varchar,                -- a rep's explicit link; null: linked by e-mail
    added_at timestamp default current_timestamp,
    primary key (email, workspace)
);

create table if not exists audit (
    accessed_at timestamp not null default current_timestamp,
    email varchar not null,
    workspace varchar,             -- null: no workspace (sign-in, admin page)
    what varchar not null          -- 'page: Team', 'download: team.csv', 'denied: ...'
);
