-- one row per (account_id, the lines' own rep_id or null) with orders: revenue in the three windows, list-valued lines in W, first order, list and net value per trend quarter
-- The one pass over the order lines: per-account and per-rep figures are sums of these rows
-- (mart_account_orders, mart_rep_orders, mart_account_rep_quarter). Most exports have no rep
-- on the lines: then this is one row per account. The trend's calendar quarters are pivoted
-- into columns list_q0..7 / net_q0..7 (quarter_slot 0 = the quarter starting at
-- $trend_start, up to the quarter holding as_of, cut at as_of; room for the documented 8
-- quarters, metrics.MAX_TREND_QUARTERS): grouping millions of lines by quarter, or a second
-- pass for the quarters, costs more. CASE, not FILTER: a FILTER runs on every line.
-- Amounts are summed as DECIMAL(18, 4) (each line to a hundredth of a cent): a sum of
-- decimals is exact, so it does not depend on the order DuckDB's threads add the lines in,
-- and the same data give the same figures to the last digit (docs/metrics.md, Determinism).
create or replace temp table mart_account_rep_orders as
with lines as (
    select
        account_id,
        rep_id,
        order_date,
        net_amount::decimal(18, 4) as net_amount,
        list_amount::decimal(18, 4) as list_amount,
        case when order_date >= $trend_start and order_date <= $as_of and list_amount is not null
            then year(order_date) * 4 + quarter(order_date)
                - (year($trend_start) * 4 + quarter($trend_start))
        end as quarter_slot
    from stg_orders
)

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
        and list_amount is not null) as listed_net_amount,
    sum(case when quarter_slot = 0 then list_amount end) as list_q0,
    sum(case when quarter_slot = 0 then net_amount end) as net_q0,
    sum(case when quarter_slot = 1 then list_amount end) as list_q1,
    sum(case when quarter_slot = 1 then net_amount end) as net_q1,
    sum(case when quarter_slot = 2 then list_amount end) as list_q2,
    sum(case when quarter_slot = 2 then net_amount end) as net_q2,
    sum(case when quarter_slot = 3 then list_amount end) as list_q3,
    sum(case when quarter_slot = 3 then net_amount end) as net_q3,
    sum(case when quarter_slot = 4 then list_amount end) as list_q4,
    sum(case when quarter_slot = 4 then net_amount end) as net_q4,
    sum(case when quarter_slot = 5 then list_amount end) as list_q5,
    sum(case when quarter_slot = 5 then net_amount end) as net_q5,
    sum(case when quarter_slot = 6 then list_amount end) as list_q6,
    sum(case when quarter_slot = 6 then net_amount end) as net_q6,
    sum(case when quarter_slot = 7 then list_amount end) as list_q7,
    sum(case when quarter_slot = 7 then net_amount end) as net_q7
from lines
group by account_id, rep_id
