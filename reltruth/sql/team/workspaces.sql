-- one row per workspace name that some member belongs to
select distinct workspace
from members
where workspace <> ''
order by workspace
