-- one row per given account: list value, net value, orders and categories bought in the earlier and the later half of the discount trend's quarters
-- The halves are [$trend_start, $split) and [$split, $as_of], the spans the discount prompt
-- compares ("discount up 6 pp in two years while volume at list fell 4 %"). Volume at list is
-- the value of the lines at list price: what was bought, whatever discount it was bought at.
-- Orders are counted by their order id (the invoice), or by their day where lines have none.
with lines as (
    select
        account_id,
        order_date >= $split as is_late,
        coalesce(order_id, order_date::varchar) as order_key,
        product_category,
        net_amount::decimal(18, 4) as net_amount,
        list_amount::decimal(18, 4) as list_amount
    from stg_orders
    where account_id in (select unnest($account_ids::varchar[]))
        and order_date >= $trend_start and order_date <= $as_of
)

select
    account_id,
    sum(list_amount) filter (where not is_late)::double as list_early,
    sum(list_amount) filter (where is_late)::double as list_late,
    sum(net_amount) filter (where not is_late and list_amount is not null)::double as listed_net_early,
    sum(net_amount) filter (where is_late and list_amount is not null)::double as listed_net_late,
    count(distinct order_key) filter (where not is_late) as orders_early,
    count(distinct order_key) filter (where is_late) as orders_late,
    count(distinct product_category) filter (where not is_late) as categories_early,
    count(distinct product_category) filter (where is_late) as categories_late
from lines
group by account_id
order by account_id
