-- one row: the company's revenue (every order line, credit notes included) in (start, end]
select sum(net_amount) as value
from stg_orders
where order_date > $start and order_date <= $end
