-- one row per rep with order lines: revenue in the three windows, discount in W, new accounts (lines attributed to their own rep, else to the account owner)
-- docs/ingest.md: an order line's rep defaults to the account owner. A deals export names the
-- sales agent on every won deal, so reps have revenue even where accounts have no owner.
-- New accounts: accounts the rep sold to in W whose first-ever order (by anyone) is in W.
create or replace temp table mart_rep_orders as
select
    coalesce(x.rep_id, a.rep_id) as rep_id,
    sum(x.revenue) as revenue,
    sum(x.revenue_prior) as revenue_prior,
    sum(x.revenue_prior2) as revenue_prior2,
    sum(x.list_amount) as list_amount,
    sum(x.listed_net_amount) as listed_net_amount,
    count(distinct x.account_id) filter (
        where x.lines > 0 and o.first_order_date > $window_start and o.first_order_date <= $as_of
    ) as new_accounts
from mart_account_rep_orders as x
inner join mart_account_orders as o on o.account_id = x.account_id
left join stg_accounts as a on a.account_id = x.account_id
where coalesce(x.rep_id, a.rep_id) is not null
group by all
