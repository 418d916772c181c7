-- one row per order line: date, account, net value and value at list price (from the price list where the line has none)
-- Credit notes are negative lines and stay in: they count against revenue and list value alike.
-- rep_id is the line's own rep (a deals export's sales agent) or null; null means the account
-- owner (docs/ingest.md), resolved after aggregation, on a few rows instead of millions.
create or replace temp view stg_orders as
select
    o.order_date,
    o.order_id,
    o.account_id,
    o.rep_id,
    o.net_amount,
    coalesce(o.list_amount, o.quantity * p.list_price) as list_amount,
    nullif(trim(o.product_category), '') as product_category
from orders as o
left join price_list as p on p.product = o.product
-- A won deal is revenue only at an account no order or invoice file covers (a CRM-only
-- company): beside the invoices it bills, the same sale would count twice (docs/metrics.md).
where
    o.source is distinct from 'deals'
    or not exists (
        -- the invoiced accounts once each: probing the order lines themselves built a hash
        -- table of every line for every query on stg_orders (2.5 x its cost at scale 10)
        select 1
        from (select distinct account_id from orders where source is distinct from 'deals') as i
        where i.account_id = o.account_id
    )
