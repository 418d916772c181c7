-- removes the (member e-mail, workspace) rows of one e-mail; workspace null: all of them
delete from members
where email = $email and ($workspace is null or workspace = $workspace)
returning email
