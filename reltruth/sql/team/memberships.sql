-- one row per workspace membership of one e-mail (admin rows have workspace '')
select email, role, workspace, rep_id
from members
where email = $email
order by workspace
