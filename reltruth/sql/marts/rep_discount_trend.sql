-- one row per rep: slope of the quarterly discount rate over the rep's own accounts, pp per year
with rep_quarters as (
    select
        a.rep_id,
        q.quarter_slot,
        case when sum(q.list_amount) <> 0
            then 1 - sum(q.net_amount) / sum(q.list_amount) end as discount_rate
    from mart_account_quarter as q
    inner join stg_accounts as a on a.account_id = q.account_id
    where a.rep_id is not null
    group by all
)

select
    rep_id,
    count(discount_rate) as trend_quarters,
    case when count(discount_rate) >= $min_quarters
        then regr_slope(discount_rate, quarter_slot) * 4 * 100 end as discount_trend_pp_per_year
from rep_quarters
group by rep_id
