-- one row per (account_id, quarter_start): list-weighted discount of the given accounts per calendar quarter
select
    account_id,
    date_trunc('quarter', order_date)::date as quarter_start,
    sum(list_amount) as list_amount,
    sum(net_amount) as net_amount,
    case when sum(list_amount) <> 0 then 1 - sum(net_amount) / sum(list_amount) end as discount_rate
from stg_orders
where account_id in (select unnest($account_ids::varchar[]))
    and order_date >= $trend_start and order_date <= $as_of and list_amount is not null
group by all
order by account_id, quarter_start
