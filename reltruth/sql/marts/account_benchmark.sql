-- one row per account: company-wide benchmarks (segment median discount, medians of penetration and potential) and excess discount
-- The discount benchmark is the median discount rate of the accounts of the same segment; an
-- account without a segment is compared with all accounts. Medians skip null values.
with segment_medians as (
    select segment, median(discount_rate) as segment_discount
    from mart_account_window
    where segment is not null
    group by segment
),

company_medians as (
    select
        median(discount_rate) as company_discount,
        median(penetration) as company_penetration,
        median(potential) as company_potential
    from mart_account_window
)

select
    a.account_id,
    case when a.segment is null then c.company_discount
        else s.segment_discount end as discount_benchmark,
    c.company_penetration as penetration_median,
    c.company_potential as potential_median
from mart_account_window as a
left join segment_medians as s on s.segment = a.segment
cross join company_medians as c
