-- one row: the weighted penetration of one rep's book in (start, end]: the revenue of the accounts the rep owns with a potential (every line, whoever sold it), annualised by days (× 365 / days), ÷ their summed potential; null without potentials
with book as (
    select account_id, potential
    from stg_accounts
    where rep_id = $rep_id and potential is not null
),

revenue as (
    select sum(o.net_amount) as revenue
    from stg_orders as o
    inner join book as b on b.account_id = o.account_id
    where o.order_date > $start and o.order_date <= $end
)

select
    case
        when (select sum(potential) from book) > 0 and $end > $start
            then coalesce((select revenue from revenue), 0) * 365.0
                / datediff('day', $start, $end) / (select sum(potential) from book)
    end as value
