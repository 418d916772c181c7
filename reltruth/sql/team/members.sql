-- one row per (member e-mail, workspace), for the admin
select email, role, workspace, rep_id, added_at
from members
order by workspace, role, email
