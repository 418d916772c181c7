-- one row per account id seen anywhere (accounts, activities, orders, deals, commitments): id and name
with ids as (
    select account_id from accounts
    union select account_id from activities
    union select account_id from orders
    union select account_id from pipeline where account_id is not null
    union select account_id from commitments where account_id is not null
)

select ids.account_id, a.account_name
from ids
left join accounts as a on a.account_id = ids.account_id
order by ids.account_id
