-- one row per account without a stated owner (or with an inferred one): the rep with the most
-- revenue on it in the 12 months up to the latest order, else the most hours in the 12 months
-- up to the latest activity; basis says which (docs/ingest.md "Inferred owners")
with open_accounts as (
    select a.account_id
    from accounts as a
    where a.owner_rep_id is null
        or a.account_id in (select account_id from inferred_owners)
),
order_end as (select max(order_date) as d from orders),
activity_end as (select max(activity_date) as d from activities),
revenue as (
    select o.account_id, o.rep_id, sum(o.net_amount) as amount
    from orders as o, order_end
    where o.rep_id is not null and o.order_date > order_end.d - interval 12 month
    group by o.account_id, o.rep_id
),
hours as (
    select v.account_id, v.rep_id, sum(v.duration_minutes) as amount
    from activities as v, activity_end
    where v.activity_date > activity_end.d - interval 12 month
    group by v.account_id, v.rep_id
),
ranked as (
    select account_id, rep_id, 'revenue' as basis, 1 as priority, amount from revenue
    union all
    select account_id, rep_id, 'hours' as basis, 2 as priority, amount from hours
)
select r.account_id, r.rep_id, r.basis
from ranked as r
join open_accounts using (account_id)
where r.amount > 0
qualify row_number() over (
    partition by r.account_id order by r.priority, r.amount desc, r.rep_id
) = 1
