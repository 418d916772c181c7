-- one row: what the loaded data holds for each part of the analysis (the Data page checklist)
select
    (select count(*) from accounts) as accounts,
    (select count(owner_rep_id) from accounts) as accounts_with_owner,
    (select count(*) from inferred_owners where account_id in (select account_id from accounts))
        as owners_inferred,
    (select count(*) from accounts where potential > 0 and not coalesce(potential_estimated, false))
        as potentials_stated,
    (select count(*) from accounts where potential > 0 and potential_estimated) as potentials_estimated,
    (select count(*) from activities) as activities,
    (select count(*) from orders) as orders,
    (select count(list_amount) from orders) as orders_with_list_value,
    (select count(relationship_rating) from accounts) as accounts_with_rating,
    (select count(*) from reps) as reps,
    (select count(*) from reps where nullif(trim(team), '') is not null) as reps_with_team
