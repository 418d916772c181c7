-- one row per (account_id, the lines' own rep_id or null) with orders: revenue in the three windows, list-valued lines in W, first order
-- The pass over the order lines for revenue; per-account and per-rep figures are sums of
-- these rows (mart_account_orders, mart_rep_orders). Most exports have no rep on the lines:
-- then this is one row per account.
create or replace temp table mart_account_rep_orders as
select
    account_id,
    rep_id,
    min(order_date) as first_order_date,
    count(*) filter (where order_date > $window_start and order_date <= $as_of) as lines,
    coalesce(sum(net_amount) filter (
        where order_date > $window_start and order_date <= $as_of), 0) as revenue,
    coalesce(sum(net_amount) filter (
        where order_date > $prior_start and order_date <= $window_start), 0) as revenue_prior,
    coalesce(sum(net_amount) filter (
        where order_date > $prior2_start and order_date <= $prior_start), 0) as revenue_prior2,
    sum(list_amount) filter (
        where order_date > $window_start and order_date <= $as_of
        and list_amount is not null) as list_amount,
    sum(net_amount) filter (
        where order_date > $window_start and order_date <= $as_of
        and list_amount is not null) as listed_net_amount
from stg_orders
group by account_id, rep_id
