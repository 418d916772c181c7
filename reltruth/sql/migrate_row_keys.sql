-- grain: none (schema change). Workspaces made before row keys became optional: activities'
-- and orders' row_key may be null (the export's own id is the key) and orders gain line_no.
alter table activities alter column row_key drop not null;
alter table orders alter column row_key drop not null;
alter table orders add column if not exists line_no varchar;
