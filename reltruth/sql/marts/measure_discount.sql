-- one row: the list-weighted discount rate of one account in (start, end], null without list values
select case when sum(list_amount) <> 0 then 1 - sum(net_amount) / sum(list_amount) end as value
from stg_orders
where account_id = $account_id and order_date > $start and order_date <= $end
    and list_amount is not null
