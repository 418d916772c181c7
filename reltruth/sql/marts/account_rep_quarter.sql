-- one row per (account_id, the lines' own rep_id or null, quarter_slot) with list-valued orders: list and net value per calendar quarter of the trend
-- quarter_slot 0 = the calendar quarter starting at $trend_start, counting up to the quarter
-- holding as_of (cut at as_of). Pivoting the quarters into columns (grouping by account and
-- line rep only) and unpivoting the small result is several times faster than grouping
-- millions of lines by quarter; the pivot has room for 8 quarters (metrics.MAX_TREND_QUARTERS).
create or replace temp table mart_account_rep_quarter as
with lines as (
    select
        account_id,
        rep_id,
        list_amount,
        net_amount,
        year(order_date) * 4 + quarter(order_date)
            - (year($trend_start) * 4 + quarter($trend_start)) as quarter_slot
    from stg_orders
    where order_date >= $trend_start and order_date <= $as_of and list_amount is not null
),

pivoted as (
    select
        account_id,
        rep_id,
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
),

slots as (
    select
        account_id,
        rep_id,
        unnest(range(8)) as quarter_slot,
        unnest([list_q0, list_q1, list_q2, list_q3, list_q4, list_q5, list_q6, list_q7]) as list_amount,
        unnest([net_q0, net_q1, net_q2, net_q3, net_q4, net_q5, net_q6, net_q7]) as net_amount
    from pivoted
)

select account_id, rep_id, quarter_slot, list_amount, net_amount
from slots
where list_amount is not null
