-- one row per (rep_id, account_id) with activities in the window: hours and estimated hours
create or replace temp table mart_rep_account_hours as
select
    rep_id,
    account_id,
    round(sum(hours), 9) as hours,
    round(sum(estimated_hours), 9) as estimated_hours
from stg_activities
where activity_date > $window_start and activity_date <= $as_of
group by rep_id, account_id
