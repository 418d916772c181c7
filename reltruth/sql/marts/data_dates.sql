-- one row: the latest and the earliest activity or order date in the workspace (as_of's bounds)
select
    greatest((select max(order_date) from orders), (select max(activity_date) from activities))
        as latest,
    least((select min(order_date) from orders), (select min(activity_date) from activities))
        as earliest
