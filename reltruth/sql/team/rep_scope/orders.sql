-- one row per order line credited to the rep $rep_id (its own rep, or else the account's owner)
select o.*
from orders o
left join accounts a on a.account_id = o.account_id
where coalesce(o.rep_id, a.owner_rep_id) = $rep_id
