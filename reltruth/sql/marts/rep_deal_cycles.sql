-- one row per rep with won deals closed by as_of: the median days from engagement to close
-- Over all the rep's won deals, not only the window's: one window holds too few to be a
-- median. Deals without an engagement or close date have no cycle.
select rep_id, median(cycle_days) as median_cycle_days
from stg_deals
where stage = 'won' and close_date <= $as_of and cycle_days is not null and rep_id is not null
group by rep_id
order by rep_id
