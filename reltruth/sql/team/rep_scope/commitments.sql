-- one row per commitment of the rep $rep_id
select * from commitments where rep_id = $rep_id
