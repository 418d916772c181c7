-- one row per rep id seen anywhere (reps, activities, orders, deals, commitments): id and name
with ids as (
    select rep_id from reps
    union select rep_id from activities
    union select rep_id from orders where rep_id is not null
    union select rep_id from pipeline where rep_id is not null
    union select owner_rep_id from accounts where owner_rep_id is not null
    union select rep_id from commitments
)

select ids.rep_id, r.rep_name
from ids
left join reps as r on r.rep_id = ids.rep_id
order by ids.rep_id
