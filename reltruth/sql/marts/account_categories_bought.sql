-- one row per (account_id, product_category) the account bought in the window, largest first: mart_account_categories in order
select account_id, product_category, revenue
from mart_account_categories
order by account_id, revenue desc, product_category
