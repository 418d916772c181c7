-- one row: one rep's revenue in (start, end] (their own lines, and lines without a rep on the accounts they own, as rep_orders.sql), with the net and list value of the lines that have a list value
select
    sum(o.net_amount) as revenue,
    sum(o.net_amount) filter (where o.list_amount is not null) as listed_net_amount,
    sum(o.list_amount) as list_amount
from stg_orders as o
left join stg_accounts as a on a.account_id = o.account_id
where coalesce(o.rep_id, a.rep_id) = $rep_id and o.order_date > $start and o.order_date <= $end
