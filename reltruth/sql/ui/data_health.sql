-- one row per loaded table: rows, first and last date, share of estimated values, rows kept aside, incomplete rows (reps: created implicitly; accounts: no potential; orders: no list value)
select
    'reps' as table_name,
    count(*) as row_count,
    null::date as first_date,
    null::date as last_date,
    null::double as estimated_share,
    0::bigint as unmatched_rows,
    count(*) filter (where is_implicit) as incomplete_rows
from reps
union all
select
    'accounts',
    count(*),
    min(owner_since),
    max(owner_since),
    avg(case when potential_estimated then 1.0 else 0.0 end),
    0,
    count(*) filter (where potential is null)
from accounts
union all
select
    'activities',
    count(*),
    min(activity_date),
    max(activity_date),
    avg(case when duration_estimated then 1.0 else 0.0 end),
    (select count(*) from unmatched where target_table = 'activities'),
    0
from activities
union all
select
    'orders',
    count(*),
    min(order_date),
    max(order_date),
    null,
    (select count(*) from unmatched where target_table = 'orders'),
    count(*) filter (where list_amount is null)
from orders
