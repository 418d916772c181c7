-- one row: the rep $rep_id (no other rep's row leaves the workspace)
select * from reps where rep_id = $rep_id
