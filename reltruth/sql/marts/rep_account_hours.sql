-- one row per (rep_id, account_id) with activities in the window: hours and estimated hours
create or replace temp table mart_rep_account_hours as
select
    rep_id,
    account_id,
    -- summed as minutes in DECIMAL (exact, to a millionth of a minute): the same total in
    -- whatever order DuckDB's threads add the activities, and 72,090 min = 1,201.5 h exactly
    sum((hours * 60)::decimal(18, 6)) / 60 as hours,
    sum((estimated_hours * 60)::decimal(18, 6)) / 60 as estimated_hours
from stg_activities
where activity_date > $window_start and activity_date <= $as_of
group by rep_id, account_id
