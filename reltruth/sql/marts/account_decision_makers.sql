-- one row per account with an owner: the owner's hours on it in the window, those with a known contact role and those with decision makers, and the owner's last decision-maker contact up to as_of
-- A decision maker is an activity whose contact role contains "decision" (the CRMs write
-- "Decision maker", "Decision Maker", "Economic decision maker"). The last contact is looked
-- for in all the data up to as_of, not only the window: a meeting 13 months ago is still the
-- last one. Hours are summed as DECIMAL minutes (docs/metrics.md, Determinism).
with owner_activities as (
    select
        a.account_id,
        s.activity_date,
        s.contact_role,
        coalesce(s.contact_role like '%decision%', false) as is_decision_maker,
        (s.hours * 60)::decimal(18, 6) as minutes
    from stg_accounts as a
    join stg_activities as s on s.account_id = a.account_id and s.rep_id = a.rep_id
    where s.activity_date <= $as_of
)

select
    account_id,
    coalesce(sum(minutes) filter (where activity_date > $window_start), 0) / 60 as owner_hours,
    coalesce(sum(minutes) filter (
        where activity_date > $window_start and contact_role is not null), 0) / 60 as role_hours,
    coalesce(sum(minutes) filter (
        where activity_date > $window_start and is_decision_maker), 0) / 60 as decision_maker_hours,
    max(activity_date) filter (where is_decision_maker) as last_decision_maker_contact
from owner_activities
group by account_id
