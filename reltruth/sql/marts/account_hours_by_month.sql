-- one row per (month, activity_type): everyone's hours on one account in [span_start, as_of], and how many of them are estimated from default durations
select
    date_trunc('month', activity_date)::date as month,
    activity_type,
    round(sum(hours), 9) as hours,
    round(sum(estimated_hours), 9) as estimated_hours
from stg_activities
where account_id = $account_id and activity_date >= $span_start and activity_date <= $as_of
group by all
order by month, activity_type
