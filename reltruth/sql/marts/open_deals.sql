-- one row per deal open at as_of with an account and an engagement date: deal, account, rep, days open, value
-- Days open = as_of − engagement date. Which of them have been open longer than the rep's
-- median won cycle (rep_deal_cycles.sql), and sit at a "great relationship" account, is
-- decided in reltruth/evidence.py.
select
    deal_id,
    account_id,
    rep_id,
    engage_date,
    datediff('day', engage_date, $as_of) as days_open,
    value::double as value
from stg_deals
where stage = 'open' and account_id is not null and engage_date <= $as_of
order by rep_id, account_id, engage_date, deal_id
