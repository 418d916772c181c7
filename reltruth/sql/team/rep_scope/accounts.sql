-- one row per account the rep $rep_id owns, has worked or has sold to; another owner's id is blanked
with mine as (
    select account_id from accounts where owner_rep_id = $rep_id
    union select account_id from activities where rep_id = $rep_id
    union select account_id from orders where rep_id = $rep_id
    union select account_id from pipeline where rep_id = $rep_id
)
select * replace (case when owner_rep_id = $rep_id then owner_rep_id end as owner_rep_id)
from accounts
where account_id in (select account_id from mine)
