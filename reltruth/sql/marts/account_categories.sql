-- one row per (account_id, product_category) the account bought in the window: its revenue there (net > 0)
-- Lines without a category are left out; a category whose lines cancel out (an invoice and
-- its credit note) was not bought. Amounts summed as DECIMAL (docs/metrics.md, Determinism).
-- A temp table (metrics.MARTS): account_white_space.sql reads it, so the order lines are
-- scanned by category once.
create or replace temp table mart_account_categories as
with lines as (
    select account_id, product_category, sum(net_amount::decimal(18, 4)) as revenue
    from stg_orders
    where order_date > $window_start and order_date <= $as_of and product_category is not null
    group by account_id, product_category
)

select account_id, product_category, revenue
from lines
where revenue > 0
