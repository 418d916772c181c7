-- one row: one rep's alignment score in (start, end]: 1 − ½ Σ |time share − potential share| over the accounts the rep owns with a potential; time shares of all the rep's hours (as rep_window.sql); null without hours or potentials
with hours as (
    select account_id, sum(hours) as hours
    from stg_activities
    where rep_id = $rep_id and activity_date > $start and activity_date <= $end
    group by account_id
),

total as (
    select sum(hours) as hours from hours
),

book as (
    select account_id, potential
    from stg_accounts
    where rep_id = $rep_id and potential is not null
),

shares as (
    select
        coalesce(h.hours, 0) / t.hours as time_share,
        b.potential / sum(b.potential) over () as potential_share
    from book as b
    left join hours as h on h.account_id = b.account_id
    cross join total as t
    where t.hours > 0
)

select
    case when count(*) > 0 then 1 - 0.5 * sum(abs(time_share - potential_share)) end as value
from shares
