-- one row per activity: hours = (duration, or the per-type default where blank, + travel) / 60
-- An activity type the defaults do not know takes the default of 'other'. A duration the
-- loader filled in (duration_estimated) is the default of its day: the current setting
-- replaces it, so that changing a default changes every estimated hour.
create or replace temp view stg_activities as
with defaults as (
    select activity_type, minutes from stg_duration_defaults
),

other_default as (
    select coalesce(max(minutes) filter (where activity_type = 'other'), 0) as minutes
    from defaults
),

typed as (
    select
        a.activity_date,
        a.rep_id,
        a.account_id,
        coalesce(nullif(lower(trim(a.activity_type)), ''), 'other') as activity_type,
        nullif(lower(trim(a.contact_role)), '') as contact_role,
        a.duration_minutes,
        coalesce(a.duration_estimated, false) or a.duration_minutes is null as is_estimated,
        coalesce(a.travel_minutes, 0) as travel_minutes
    from activities as a
)

select
    t.activity_date,
    t.rep_id,
    t.account_id,
    t.activity_type,
    t.contact_role,
    (
        case
            when t.is_estimated then coalesce(d.minutes, o.minutes)
            else t.duration_minutes
        end
        + t.travel_minutes
    ) / 60.0 as hours,
    case
        when t.is_estimated then coalesce(d.minutes, o.minutes) / 60.0
        else 0.0
    end as estimated_hours
from typed as t
left join defaults as d on d.activity_type = t.activity_type
cross join other_default as o
