-- one row per rep of the workspace whose e-mail is $email (a rep links to exactly one)
select rep_id from reps where lower(trim(email)) = $email
