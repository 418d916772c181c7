-- one row per deal: its rep (the deal's own, else the account owner), account, stage, value, and the days from engagement to close
-- Every deal of a deals export is in pipeline (won, lost or open); won ones are also orders.
-- A deal's value is its close value; cycle_days only where both dates are known.
create or replace temp view stg_deals as
select
    p.deal_id,
    p.account_id,
    coalesce(p.rep_id, a.rep_id) as rep_id,
    p.stage,
    p.engage_date,
    p.close_date,
    coalesce(p.value, 0)::decimal(18, 4) as value,
    case when p.close_date is not null and p.engage_date is not null
        then datediff('day', p.engage_date, p.close_date) end as cycle_days
from pipeline as p
left join stg_accounts as a on a.account_id = p.account_id
