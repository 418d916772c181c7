-- one row per audited access to a workspace (or to the admin page)
insert into audit (email, workspace, what) values ($email, $workspace, $what)
