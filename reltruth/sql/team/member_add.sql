-- one row per (member e-mail, workspace): added, or its role and link replaced
insert or replace into members (email, role, workspace, rep_id)
values ($email, $role, $workspace, $rep_id)
