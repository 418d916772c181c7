-- one row: the company's revenue (every order line) in the window and the two windows before it
select
    coalesce(sum(revenue), 0) as revenue,
    coalesce(sum(revenue_prior), 0) as revenue_prior,
    coalesce(sum(revenue_prior2), 0) as revenue_prior2
from mart_account_orders
