-- one row: one account's penetration in (start, end]: its revenue there, annualised by days (× 365 / days), ÷ its potential; null without a potential
select
    case when a.potential > 0 and $end > $start
        then coalesce(o.revenue, 0) * 365.0 / datediff('day', $start, $end) / a.potential
    end as value
from stg_accounts as a
left join (
    select sum(net_amount) as revenue
    from stg_orders
    where account_id = $account_id and order_date > $start and order_date <= $end
) as o on true
where a.account_id = $account_id
