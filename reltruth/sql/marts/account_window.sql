-- one row per account (with its owner rep): revenue, hours, shares and discount for the window
-- Reads mart_account_orders and mart_rep_account_hours. Hours are the OWNER's activities on
-- the account; time share divides by the owner's hours on all accounts in the window.
create or replace temp table mart_account_window as
with book_accounts as (
    select * from stg_accounts
),

rep_hours as (
    select rep_id, round(sum(hours), 9) as rep_hours
    from mart_rep_account_hours
    group by rep_id
),

company as (
    select
        sum(revenue) as revenue,
        sum(revenue_prior) as revenue_prior,
        sum(revenue_prior2) as revenue_prior2
    from mart_account_orders
),

joined as (
    select
        a.*,
        coalesce(o.revenue, 0) as revenue,
        coalesce(o.revenue_prior, 0) as revenue_prior,
        coalesce(o.revenue_prior2, 0) as revenue_prior2,
        o.first_order_date,
        o.list_amount,
        o.listed_net_amount,
        coalesce(h.hours, 0) as hours,
        coalesce(h.estimated_hours, 0) as estimated_hours,
        coalesce(r.rep_hours, 0) as rep_hours,
        coalesce(o.revenue, 0) * 12.0 / $months as annualised_revenue,
        case when a.rep_id is not null and a.potential is not null
            then a.potential / sum(a.potential) over (partition by a.rep_id)
        end as potential_share,
        case when abs(c.revenue_prior) >= $zero_revenue then c.revenue / c.revenue_prior - 1 end as company_growth,
        case when abs(c.revenue_prior2) >= $zero_revenue
            then c.revenue_prior / c.revenue_prior2 - 1 end as company_growth_prior
    from book_accounts as a
    left join mart_account_orders as o on o.account_id = a.account_id
    left join mart_rep_account_hours as h on h.account_id = a.account_id and h.rep_id = a.rep_id
    left join rep_hours as r on r.rep_id = a.rep_id
    cross join company as c
),

metrics as (
    select
        *,
        case when abs(revenue_prior) >= $zero_revenue then revenue / revenue_prior - 1 end as growth,
        case when abs(revenue_prior2) >= $zero_revenue then revenue_prior / revenue_prior2 - 1 end as growth_prior,
        annualised_revenue / potential as penetration,
        -- DuckDB's greatest skips nulls: an unknown potential must give no open potential, not 0
        case when potential is not null then greatest(potential - annualised_revenue, 0) end
            as open_potential,
        case when rep_id is not null and rep_hours > 0 then hours / rep_hours end as time_share,
        case when hours > 0 then revenue / hours end as revenue_per_hour,
        case when hours > 0 then estimated_hours / hours end as hours_estimated_share,
        case when list_amount <> 0 then 1 - listed_net_amount / list_amount end as discount_rate,
        coalesce(first_order_date > $window_start and first_order_date <= $as_of, false)
            as is_new_account
    from joined
)

select
    *,
    growth - company_growth as relative_growth,
    growth_prior - company_growth_prior as relative_growth_prior,
    time_share / nullif(potential_share, 0) as allocation_ratio
from metrics
