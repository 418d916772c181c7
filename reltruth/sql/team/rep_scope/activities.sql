-- one row per activity of the rep $rep_id
select * from activities where rep_id = $rep_id
