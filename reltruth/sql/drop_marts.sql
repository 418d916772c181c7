-- no rows: drops the temp tables metrics.compute built (one per name in metrics.MARTS)
-- Fixed names, so that no table name is put together in code.
drop table if exists mart_account_rep_orders;
drop table if exists mart_account_orders;
drop table if exists mart_rep_orders;
drop table if exists mart_rep_account_hours;
drop table if exists mart_account_window;
drop table if exists mart_account_rep_quarter;
drop table if exists mart_account_quarter;
drop table if exists mart_account_categories;
