-- one row: the account owner's hours on one account in (start, end]
select round(sum(s.hours), 9) as value
from stg_activities as s
inner join stg_accounts as a on a.account_id = s.account_id and a.rep_id = s.rep_id
where s.account_id = $account_id and s.activity_date > $start and s.activity_date <= $end
