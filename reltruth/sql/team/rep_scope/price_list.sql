-- one row per product of the price list (not personal: every rep sells from it)
select * from price_list
