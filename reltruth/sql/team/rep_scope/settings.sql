-- one row per stored setting (thresholds and defaults, not personal)
select * from settings
