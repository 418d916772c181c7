-- one row per rep owning an account or with order lines in the three windows: revenue, hours, alignment and discount for the window
-- Hour totals are rounded to 9 decimals: a double sum depends on the order DuckDB threads
-- add rows in, and unrounded noise could flip a displayed 1,201.5 h between 1,201 and 1,202.
-- Rep revenue, growth, discount and new accounts come from the rep's order lines (a line's own
-- rep, else the account owner: mart_rep_orders); the book (potential, penetration, shares,
-- alignment) is the accounts the rep owns. Rep hours are all the rep's hours in the window
-- (the time-share denominator). Shares leave out accounts without a potential.
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
        -- sums over a rep's accounts as DECIMAL (docs/metrics.md, Determinism): a rep's
        -- accounts may be added on two threads, and a double sum's last bits would follow
        -- the order they finish in (seen at scale 100: one rep's penetration and alignment)
        sum(annualised_revenue::decimal(18, 4)) filter (
            where potential is not null)::double as annualised_revenue_with_potential,
        sum(potential::decimal(18, 4))::double as potential,
        sum(potential::decimal(18, 4)) filter (
            where potential_estimated)::double as potential_estimated_sum,
        sum(open_potential::decimal(18, 4))::double as open_potential,
        round(sum(hours), 9) as hours_on_own_accounts,
        sum(abs(time_share - potential_share)::decimal(18, 12)) filter (
            where potential_share is not null)::double as abs_share_gap,
        max(rep_hours) as rep_hours
    from mart_account_window
    where rep_id is not null
    group by rep_id
),

seen as (
    select rep_id from book
    union
    select rep_id from mart_rep_orders
)

select
    s.rep_id,
    coalesce(r.rep_name, s.rep_id) as rep_name,
    r.manager,
    r.team,
    r.region,
    r.quota,
    coalesce(b.accounts, 0) as accounts,
    coalesce(b.accounts_with_potential, 0) as accounts_with_potential,
    coalesce(o.revenue, 0) as revenue,
    coalesce(o.revenue_prior, 0) as revenue_prior,
    coalesce(o.revenue_prior2, 0) as revenue_prior2,
    case when abs(o.revenue_prior) >= $zero_revenue then o.revenue / o.revenue_prior - 1 end as growth,
    case when abs(o.revenue_prior2) >= $zero_revenue then o.revenue_prior / o.revenue_prior2 - 1 end as growth_prior,
    b.annualised_revenue_with_potential / b.potential as weighted_penetration,
    b.potential,
    coalesce(b.potential_estimated_sum, 0) / b.potential as potential_estimated_share,
    b.open_potential,
    coalesce(h.hours, 0) as hours,
    coalesce(b.hours_on_own_accounts, 0) as hours_on_own_accounts,
    case when h.hours > 0 then h.estimated_hours / h.hours end as hours_estimated_share,
    case when h.hours > 0 then coalesce(o.revenue, 0) / h.hours end as revenue_per_hour,
    coalesce(o.new_accounts, 0) as new_accounts,
    case when o.list_amount <> 0 then 1 - o.listed_net_amount / o.list_amount end as discount_rate,
    o.list_amount,
    case when h.hours > 0 and b.accounts_with_potential > 0
        then 1 - 0.5 * b.abs_share_gap end as alignment_score,
    case when h.hours > 0 and b.accounts_with_potential > 0
        then 0.5 * b.abs_share_gap * h.hours end as misallocated_hours
from seen as s
left join book as b on b.rep_id = s.rep_id
left join mart_rep_orders as o on o.rep_id = s.rep_id
left join reps as r on r.rep_id = s.rep_id
left join activity_hours as h on h.rep_id = s.rep_id
