-- one row per rep owning at least one account: revenue, hours, alignment and discount for the window
-- Hour totals are rounded to 9 decimals: a double sum depends on the order DuckDB threads
-- add rows in, and unrounded noise could flip a displayed 1,201.5 h between 1,201 and 1,202.
-- Rep revenue is the revenue of the accounts the rep owns; rep hours are all the rep's hours in
-- the window (the time-share denominator). Shares leave out accounts without a potential.
with activity_hours as (
    select rep_id, round(sum(hours), 9) as hours, round(sum(estimated_hours), 9) as estimated_hours
    from mart_rep_account_hours
    group by rep_id
),

book as (
    select
        rep_id,
        count(*) as accounts,
        count(potential) as accounts_with_potential,
        sum(revenue) as revenue,
        sum(revenue_prior) as revenue_prior,
        sum(revenue_prior2) as revenue_prior2,
        sum(annualised_revenue) filter (where potential is not null) as annualised_revenue_with_potential,
        sum(potential) as potential,
        sum(potential) filter (where potential_estimated) as potential_estimated_sum,
        sum(open_potential) as open_potential,
        sum(list_amount) as list_amount,
        sum(listed_net_amount) as listed_net_amount,
        count(*) filter (where is_new_account) as new_accounts,
        round(sum(hours), 9) as hours_on_own_accounts,
        sum(abs(time_share - potential_share)) filter (
            where potential_share is not null) as abs_share_gap,
        max(rep_hours) as rep_hours
    from mart_account_window
    where rep_id is not null
    group by rep_id
)

select
    b.rep_id,
    coalesce(r.rep_name, b.rep_id) as rep_name,
    r.manager,
    r.team,
    r.region,
    r.quota,
    b.accounts,
    b.accounts_with_potential,
    b.revenue,
    b.revenue_prior,
    b.revenue_prior2,
    case when abs(b.revenue_prior) >= $zero_revenue then b.revenue / b.revenue_prior - 1 end as growth,
    case when abs(b.revenue_prior2) >= $zero_revenue then b.revenue_prior / b.revenue_prior2 - 1 end as growth_prior,
    b.annualised_revenue_with_potential / b.potential as weighted_penetration,
    b.potential,
    coalesce(b.potential_estimated_sum, 0) / b.potential as potential_estimated_share,
    b.open_potential,
    coalesce(h.hours, 0) as hours,
    b.hours_on_own_accounts,
    case when h.hours > 0 then h.estimated_hours / h.hours end as hours_estimated_share,
    case when h.hours > 0 then b.revenue / h.hours end as revenue_per_hour,
    b.new_accounts,
    case when b.list_amount <> 0 then 1 - b.listed_net_amount / b.list_amount end as discount_rate,
    b.list_amount,
    case when h.hours > 0 and b.accounts_with_potential > 0
        then 1 - 0.5 * b.abs_share_gap end as alignment_score,
    case when h.hours > 0 and b.accounts_with_potential > 0
        then 0.5 * b.abs_share_gap * h.hours end as misallocated_hours
from book as b
left join reps as r on r.rep_id = b.rep_id
left join activity_hours as h on h.rep_id = b.rep_id
