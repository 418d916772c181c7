-- one row per activity type: the default duration in minutes used where an activity has none
create or replace temp table stg_duration_defaults (
    activity_type varchar primary key,
    minutes double not null
)
