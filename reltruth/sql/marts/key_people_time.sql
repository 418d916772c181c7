-- one row per contact_role: one rep's hours in the window by the role of the person met, and its share of the hours with a known role
with hours as (
    select contact_role, round(sum(hours), 9) as hours
    from stg_activities
    where rep_id = $rep_id and activity_date > $window_start and activity_date <= $as_of
        and contact_role is not null
    group by contact_role
)

select contact_role, hours, hours / sum(hours) over () as share
from hours
order by hours desc, contact_role
