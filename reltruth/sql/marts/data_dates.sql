-- one row: the latest activity or order date in the workspace (the default as_of)
select greatest(
    (select max(order_date) from orders),
    (select max(activity_date) from activities)
) as latest
