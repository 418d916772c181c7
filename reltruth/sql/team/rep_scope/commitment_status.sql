-- one row per verdict on a commitment of the rep $rep_id
select s.*
from commitment_status s
where s.commitment_id in (select commitment_id from commitments where rep_id = $rep_id)
