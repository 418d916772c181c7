-- one row per rep_id: who worked one account in [span_start, as_of]: hours logged, revenue sold (a line without its own rep is the owner's), first and last day seen, and whether the rep owns it now
with account as (
    select account_id, rep_id from stg_accounts where account_id = $account_id
),

hours as (
    select rep_id, sum(hours) as hours, min(activity_date) as first_day, max(activity_date) as last_day
    from stg_activities
    where account_id = $account_id and activity_date >= $span_start and activity_date <= $as_of
    group by rep_id
),

sales as (
    select
        coalesce(o.rep_id, a.rep_id) as rep_id,
        sum(o.net_amount) as revenue,
        min(o.order_date) as first_day,
        max(o.order_date) as last_day
    from stg_orders as o
    left join account as a on a.account_id = o.account_id
    where o.account_id = $account_id and o.order_date >= $span_start and o.order_date <= $as_of
    group by 1
),

worked as (
    select
        coalesce(h.rep_id, s.rep_id) as rep_id,
        round(h.hours, 9) as hours,
        s.revenue,
        least(h.first_day, s.first_day) as first_day,
        greatest(h.last_day, s.last_day) as last_day
    from hours as h
    full join sales as s on s.rep_id = h.rep_id
)

select
    w.rep_id,
    coalesce(r.rep_name, w.rep_id) as rep_name,
    w.hours,
    w.revenue,
    w.first_day,
    w.last_day,
    coalesce(w.rep_id = (select rep_id from account), false) as is_owner
from worked as w
left join reps as r on r.rep_id = w.rep_id
where w.rep_id is not null
order by is_owner desc, w.last_day desc, w.rep_id
