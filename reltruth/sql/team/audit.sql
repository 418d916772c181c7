-- one row per audited access, newest first
select accessed_at, email, workspace, what
from audit
order by accessed_at desc, rowid desc
limit $limit
