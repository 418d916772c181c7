-- one row per owned account whose owner_since falls in the window or the prior window: revenue and company revenue since the takeover and over the same number of days before it, the owner's hours since the takeover
-- The new owner is measured from the day they took the account over: their days
-- (owner_since, as_of] against as many days just before owner_since (the predecessor's).
-- The company's revenue over the same two spans gives the growth to compare with.
with takeovers as (
    select
        account_id,
        rep_id,
        owner_since as takeover_date,
        datediff('day', owner_since, $as_of) as held_days,
        (owner_since - datediff('day', owner_since, $as_of)::integer)::date as before_start
    from stg_accounts
    where rep_id is not null and owner_since > $prior_start and owner_since <= $as_of
        and owner_since < $as_of
),

account_revenue as (
    select
        t.account_id,
        coalesce(sum(o.net_amount::decimal(18, 4)) filter (
            where o.order_date > t.takeover_date), 0) as revenue_since,
        coalesce(sum(o.net_amount::decimal(18, 4)) filter (
            where o.order_date <= t.takeover_date), 0) as revenue_before
    from takeovers as t
    left join stg_orders as o
        on o.account_id = t.account_id
        and o.order_date > t.before_start and o.order_date <= $as_of
    group by t.account_id
),

spans as (
    select distinct takeover_date, before_start from takeovers
),

company_revenue as (
    select
        s.takeover_date,
        coalesce(sum(o.net_amount::decimal(18, 4)) filter (
            where o.order_date > s.takeover_date), 0) as company_since,
        coalesce(sum(o.net_amount::decimal(18, 4)) filter (
            where o.order_date <= s.takeover_date), 0) as company_before
    from spans as s
    left join stg_orders as o on o.order_date > s.before_start and o.order_date <= $as_of
    group by s.takeover_date
),

owner_hours as (
    select
        t.account_id,
        coalesce(sum((h.hours * 60)::decimal(18, 6)) filter (
            where h.account_id = t.account_id), 0) / 60 as hours_since,
        coalesce(sum((h.hours * 60)::decimal(18, 6)), 0) / 60 as rep_hours_since
    from takeovers as t
    left join stg_activities as h
        on h.rep_id = t.rep_id and h.activity_date > t.takeover_date and h.activity_date <= $as_of
    group by t.account_id
)

select
    t.account_id,
    t.takeover_date,
    t.held_days,
    r.revenue_since::double as revenue_since_takeover,
    r.revenue_before::double as revenue_before_takeover,
    c.company_since::double as company_revenue_since_takeover,
    c.company_before::double as company_revenue_before_takeover,
    h.hours_since::double as hours_since_takeover,
    h.rep_hours_since::double as rep_hours_since_takeover
from takeovers as t
join account_revenue as r on r.account_id = t.account_id
join company_revenue as c on c.takeover_date = t.takeover_date
join owner_hours as h on h.account_id = t.account_id
order by t.account_id
