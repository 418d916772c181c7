-- one row: one account's owner now, since when, and how it is known (null = the accounts export; revenue | hours = inferred by reltruth)
select a.rep_id, coalesce(r.rep_name, a.rep_id) as rep_name, a.owner_since, i.basis as inferred_from
from stg_accounts as a
left join reps as r on r.rep_id = a.rep_id
left join inferred_owners as i on i.account_id = a.account_id
where a.account_id = $account_id
