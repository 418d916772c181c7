-- one row per quarter_start: one account's revenue (net, credit notes included), order lines, value at list price and list-weighted discount per calendar quarter in [span_start, as_of]
select
    date_trunc('quarter', order_date)::date as quarter_start,
    sum(net_amount) as revenue,
    count(*) as order_lines,
    sum(list_amount) as list_amount,
    -- the discount of the lines that have a list value only (as discount_quarters.sql)
    case
        when sum(list_amount) <> 0
            then 1 - sum(net_amount) filter (where list_amount is not null) / sum(list_amount)
    end as discount_rate
from stg_orders
where account_id = $account_id and order_date >= $span_start and order_date <= $as_of
group by all
order by quarter_start
