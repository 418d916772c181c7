-- one row: the revenue (net, credit notes included) of one account in (start, end]
select sum(net_amount) as value
from stg_orders
where account_id = $account_id and order_date > $start and order_date <= $end
