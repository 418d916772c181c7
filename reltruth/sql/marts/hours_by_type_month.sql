-- one row per (month, activity_type): one rep's hours in the window, and how many of them are estimated
select
    date_trunc('month', activity_date)::date as month,
    activity_type,
    round(sum(hours), 9) as hours,
    round(sum(estimated_hours), 9) as estimated_hours
from stg_activities
where rep_id = $rep_id and activity_date > $window_start and activity_date <= $as_of
group by all
order by month, activity_type
