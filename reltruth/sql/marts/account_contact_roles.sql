-- one row per contact_role (null = not recorded): who was met at one account in [span_start, as_of]: activities, hours, first and last day met
select
    contact_role,
    count(*) as activities,
    round(sum(hours), 9) as hours,
    min(activity_date) as first_met,
    max(activity_date) as last_met
from stg_activities
where account_id = $account_id and activity_date >= $span_start and activity_date <= $as_of
group by contact_role
order by contact_role is null, hours desc, contact_role
