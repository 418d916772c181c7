-- one row per (account_id, quarter_slot) with list-valued orders: list-weighted discount per calendar quarter of the trend
-- Sums mart_account_rep_quarter over the lines' reps (see there for quarter_slot).
create or replace temp table mart_account_quarter as
select
    account_id,
    quarter_slot,
    sum(list_amount) as list_amount,
    sum(net_amount) as net_amount,
    case when sum(list_amount) <> 0 then 1 - sum(net_amount) / sum(list_amount) end as discount_rate
from mart_account_rep_quarter
group by account_id, quarter_slot
