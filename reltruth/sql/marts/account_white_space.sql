-- one row per (account_id, product_category) an account with orders in the window does not buy while at least $peer_share of its peers do: peers, peers_buying, the category's share of the peers' revenue
-- Peers: the other accounts of its segment that bought a categorised line in the window; an
-- account without a segment, or whose segment has fewer than $min_peers such other accounts,
-- is compared with every other buying account of the company (peer_segment null).
-- category_share (the peers' revenue in the category ÷ all their revenue) is the segment's
-- category mix: the estimated share of the account's potential the category represents.
with bought as (
    select account_id, product_category, revenue from mart_account_categories
),

buyers as (
    select a.account_id, a.segment, sum(b.revenue) as revenue
    from bought as b
    join stg_accounts as a on a.account_id = b.account_id
    group by a.account_id, a.segment
),

segment_totals as (
    select segment, count(*) as accounts, sum(revenue) as revenue
    from buyers
    where segment is not null
    group by segment
),

segment_categories as (
    select s.segment, b.product_category, count(*) as buying, sum(b.revenue) as revenue
    from bought as b
    join buyers as s on s.account_id = b.account_id
    where s.segment is not null
    group by s.segment, b.product_category
),

company_totals as (
    select count(*) as accounts, sum(revenue) as revenue from buyers
),

company_categories as (
    select product_category, count(*) as buying, sum(revenue) as revenue
    from bought
    group by product_category
),

peer_groups as (
    select
        b.account_id,
        b.revenue as own_revenue,
        case when t.accounts - 1 >= $min_peers then b.segment end as peer_segment
    from buyers as b
    left join segment_totals as t on t.segment = b.segment
),

options as (
    select
        g.account_id,
        g.peer_segment,
        c.product_category,
        t.accounts - 1 as peers,
        c.buying as peers_buying,
        c.revenue / nullif(t.revenue - g.own_revenue, 0) as category_share
    from peer_groups as g
    join segment_categories as c on c.segment = g.peer_segment
    join segment_totals as t on t.segment = g.peer_segment
    union all
    select
        g.account_id,
        null as peer_segment,
        c.product_category,
        t.accounts - 1 as peers,
        c.buying as peers_buying,
        c.revenue / nullif(t.revenue - g.own_revenue, 0) as category_share
    from peer_groups as g
    cross join company_categories as c
    cross join company_totals as t
    where g.peer_segment is null
)

select
    o.account_id,
    o.peer_segment,
    o.product_category,
    o.peers,
    o.peers_buying,
    o.category_share::double as category_share
from options as o
where o.peers > 0
    and o.peers_buying >= $peer_share * o.peers
    and not exists (
        select 1 from bought as b
        where b.account_id = o.account_id and b.product_category = o.product_category
    )
order by o.account_id, o.peers_buying desc, o.product_category
