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

-- the company's revenue and the owners' hours per day first: a span is then a sum over at
-- most a few hundred days, not over every order line or activity (a range join over millions
-- of rows took seconds at scale 10)
company_days as (
    select order_date, sum(net_amount::decimal(18, 4)) as revenue
    from stg_orders
    where order_date > (select min(before_start) from takeovers) and order_date <= $as_of
    group by order_date
),

company_revenue as (
    select
        s.takeover_date,
        coalesce(sum(d.revenue) filter (where d.order_date > s.takeover_date), 0) as company_since,
        coalesce(sum(d.revenue) filter (where d.order_date <= s.takeover_date), 0) as company_before
    from spans as s
    left join company_days as d on d.order_date > s.before_start and d.order_date <= $as_of
    group by s.takeover_date
),

owner_days as (
    select
        a.rep_id,
        a.activity_date,
        sum((a.hours * 60)::decimal(18, 6)) as minutes
    from stg_activities as a
    where a.rep_id in (select rep_id from takeovers)
        and a.activity_date > (select min(takeover_date) from takeovers)
        and a.activity_date <= $as_of
    group by a.rep_id, a.activity_date
),

account_days as (
    select a.rep_id, a.account_id, a.activity_date, sum((a.hours * 60)::decimal(18, 6)) as minutes
    from stg_activities as a
    where a.account_id in (select account_id from takeovers)
        and a.activity_date > (select min(takeover_date) from takeovers)
        and a.activity_date <= $as_of
    group by a.rep_id, a.account_id, a.activity_date
),

owner_hours as (
    select
        t.account_id,
        coalesce((
            select sum(d.minutes) from account_days as d
            where d.account_id = t.account_id and d.rep_id = t.rep_id
                and d.activity_date > t.takeover_date
        ), 0) / 60 as hours_since,
        coalesce((
            select sum(d.minutes) from owner_days as d
            where d.rep_id = t.rep_id and d.activity_date > t.takeover_date
        ), 0) / 60 as rep_hours_since
    from takeovers as t
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
