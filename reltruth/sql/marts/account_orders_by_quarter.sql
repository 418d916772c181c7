-- one row per quarter_start: one account's revenue (net, credit notes included), order lines, value at list price and list-weighted discount per calendar quarter in [span_start, as_of]; a quarter without orders is a row with revenue 0 (a gap in the axis would hide it)
with quarters as (
    select unnest(generate_series($span_start::date, $as_of::date, interval 3 month))::date
        as quarter_start
),

orders as (
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
)

select
    q.quarter_start,
    coalesce(o.revenue, 0) as revenue,
    coalesce(o.order_lines, 0) as order_lines,
    o.list_amount,
    o.discount_rate
from quarters as q
left join orders as o on o.quarter_start = q.quarter_start
where exists (select 1 from orders)
order by q.quarter_start
