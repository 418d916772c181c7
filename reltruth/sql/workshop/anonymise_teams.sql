-- one row per team name of the reps
select distinct team from reps where team is not null order by team
