-- one row per rep: slope of the quarterly discount rate over the rep's order lines (own rep, else the account owner), pp per year
with rep_quarters as (
    select
        coalesce(q.rep_id, a.rep_id) as rep_id,
        q.quarter_slot,
        case when sum(q.list_amount) <> 0
            then 1 - sum(q.net_amount) / sum(q.list_amount) end as discount_rate
    from mart_account_rep_quarter as q
    left join stg_accounts as a on a.account_id = q.account_id
    where coalesce(q.rep_id, a.rep_id) is not null
    group by all
)

select
    rep_id,
    count(discount_rate) as trend_quarters,
    case when count(discount_rate) >= $min_quarters
        -- ordered input: a streaming slope depends on the order it sees the quarters in
        then regr_slope(discount_rate, quarter_slot order by quarter_slot) * 4 * 100
    end as discount_trend_pp_per_year
from rep_quarters
group by rep_id
