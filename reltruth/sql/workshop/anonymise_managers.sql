-- one row per manager name of the reps
select distinct manager from reps where manager is not null order by manager
