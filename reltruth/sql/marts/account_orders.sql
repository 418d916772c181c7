-- one row per account with orders: revenue in the three windows, list-valued lines in W, first-ever order
create or replace temp table mart_account_orders as
select
    account_id,
    min(first_order_date) as first_order_date,
    sum(revenue) as revenue,
    sum(revenue_prior) as revenue_prior,
    sum(revenue_prior2) as revenue_prior2,
    sum(list_amount) as list_amount,
    sum(listed_net_amount) as listed_net_amount
from mart_account_rep_orders
group by account_id
