-- one row per (account name, rep name) of the rows kept aside as unmatched
select distinct account_name, rep_name from unmatched order by account_name, rep_name
