-- one row per account: least-squares slope of the quarterly discount rate, pp per year
-- Needs at least $min_quarters quarters with a discount rate; otherwise the trend is null.
select
    account_id,
    count(discount_rate) as trend_quarters,
    case when count(discount_rate) >= $min_quarters
        -- ordered input: a streaming slope depends on the order it sees the quarters in
        then regr_slope(discount_rate, quarter_slot order by quarter_slot) * 4 * 100
    end as discount_trend_pp_per_year
from mart_account_quarter
group by account_id
