-- one row per deal of the rep $rep_id
select * from pipeline where rep_id = $rep_id
