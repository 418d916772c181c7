-- one row per (rep_id, account_id) with deals: won and lost deals closed in the window (count and value), open deals and their value at as_of
-- A deal closed in the window: close_date in ($window_start, $as_of]. Open at as_of: stage
-- open and engaged by as_of (or no engagement date). Per rep and per account these rows are
-- summed in reltruth/evidence.py (a deal without an account counts for its rep only).
select
    rep_id,
    account_id,
    count(*) filter (where stage = 'won' and close_date > $window_start and close_date <= $as_of) as deals_won,
    count(*) filter (where stage = 'lost' and close_date > $window_start and close_date <= $as_of) as deals_lost,
    coalesce(sum(value) filter (
        where stage = 'won' and close_date > $window_start and close_date <= $as_of), 0)::double as won_value,
    coalesce(sum(value) filter (
        where stage = 'lost' and close_date > $window_start and close_date <= $as_of), 0)::double as lost_value,
    count(*) filter (where stage = 'open' and coalesce(engage_date <= $as_of, true)) as open_deals,
    coalesce(sum(value) filter (
        where stage = 'open' and coalesce(engage_date <= $as_of, true)), 0)::double as open_pipeline
from stg_deals
group by rep_id, account_id
order by rep_id, account_id
