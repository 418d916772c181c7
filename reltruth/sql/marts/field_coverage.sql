-- one row: how many rows carry each optional field (0 = the field is missing from the data)
-- Read by metrics.compute so that pages and sheets can say what they could not show.
select
    (select count(owner_since) from accounts) as owner_since,
    (select count(relationship_rating) from accounts) as relationship_rating,
    (select count(nullif(trim(segment), '')) from accounts) as segment,
    (select count(nullif(trim(region), '')) from accounts)
    + (select count(nullif(trim(region), '')) from reps) as region,
    (select count(nullif(trim(contact_role), '')) from activities) as contact_role,
    (select count(travel_minutes) from activities) as travel_minutes,
    (select count(list_amount) from stg_orders) as list_amount,
    (select count(*) from reps where quota > 0) as quota,
    (select count(nullif(trim(team), '')) from reps) as team
