-- one row per (account_id, the lines' own rep_id or null, quarter_slot) with list-valued orders: list and net value per calendar quarter of the trend
-- Unpivots the quarter columns of mart_account_rep_orders (see there for quarter_slot).
create or replace temp table mart_account_rep_quarter as
with slots as (
    select
        account_id,
        rep_id,
        unnest(range(8)) as quarter_slot,
        unnest([list_q0, list_q1, list_q2, list_q3, list_q4, list_q5, list_q6, list_q7]) as list_amount,
        unnest([net_q0, net_q1, net_q2, net_q3, net_q4, net_q5, net_q6, net_q7]) as net_amount
    from mart_account_rep_orders
    where coalesce(list_q0, list_q1, list_q2, list_q3, list_q4, list_q5, list_q6, list_q7) is not null
)

select account_id, rep_id, quarter_slot, list_amount, net_amount
from slots
where list_amount is not null
