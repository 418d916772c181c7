-- one row per account: the owner, potential (missing or <= 0 treated as unknown), segment, region, claim
create or replace temp view stg_accounts as
select
    a.account_id,
    coalesce(a.account_name, a.account_id) as account_name,
    a.owner_rep_id as rep_id,
    case when a.potential > 0 then a.potential end as potential,
    coalesce(a.potential_estimated, false) and a.potential > 0 as potential_estimated,
    nullif(trim(a.segment), '') as segment,
    nullif(trim(a.region), '') as region,
    a.relationship_rating,
    a.owner_since
from accounts as a
