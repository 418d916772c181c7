"""One copy's invoice lines: each account-period's revenue hits its design target exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reltruth.sample.cast import (
    AS_OF,
    CURRENCY,
    PERIOD_ENDS,
    PERIOD_STARTS,
    START,
    WHITE_SPACE_CATEGORY,
)
from reltruth.sample.days import dates, day_number, weekday, workday
from reltruth.sample.vocabulary import PRODUCT_GROUPS


def _items() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The catalogue: item codes, groups and unit list prices, sorted by price."""
    codes, groups, prices = [], [], []
    for group, prefix, plist in PRODUCT_GROUPS:
        for j, price in enumerate(plist):
            codes.append(f"{prefix}-{1000 + 37 * (j + 1)}")
            groups.append(group)
            prices.append(price)
    order = np.argsort(prices, kind="stable")
    return (
        np.array(codes, dtype=object)[order],
        np.array(groups, dtype=object)[order],
        np.array(prices)[order],
    )


def _without_category(groups: np.ndarray, prices: np.ndarray) -> np.ndarray:
    """Per catalogue item, itself, or for an item of WHITE_SPACE_CATEGORY the item of another
    category nearest in price (the white-space account buys that instead)."""
    others = np.flatnonzero(groups != WHITE_SPACE_CATEGORY)
    out = np.arange(len(groups))
    for i in np.flatnonzero(groups == WHITE_SPACE_CATEGORY):
        out[i] = others[np.argmin(np.abs(prices[others] - prices[i]))]
    return out


def make_orders(rng: np.random.Generator, acc: pd.DataFrame, copy: int) -> pd.DataFrame:
    """Invoice lines: each account-period's revenue hits its design target exactly."""
    n = len(acc)
    rev = acc[["rev0", "rev1", "rev2"]].to_numpy()
    first = acc["first_order_day"].to_numpy()
    ap_acc = np.repeat(np.arange(n), 3)
    ap_per = np.tile(np.arange(3), n)
    ap_rev = rev.reshape(-1)
    p_lo = np.array([day_number(d) for d in PERIOD_STARTS])[ap_per]
    p_hi = np.array([day_number(d) for d in PERIOD_ENDS])[ap_per]
    lo = np.maximum(p_lo, first[ap_acc])
    # even a small customer orders every couple of months; bigger ones more often
    n_inv = np.where(ap_rev > 0, np.maximum(1, rng.poisson(5 + ap_rev / 3300)), 0)

    inv_ap = np.repeat(np.arange(len(n_inv)), n_inv)
    span = p_hi[inv_ap] - lo[inv_ap] + 1
    inv_day = lo[inv_ap] + (rng.random(len(inv_ap)) * span).astype(np.int64)
    inv_day = workday(inv_day, lo[inv_ap], p_hi[inv_ap])
    lines_per = 1 + rng.poisson(1.5, len(inv_ap))
    line_inv = np.repeat(np.arange(len(inv_ap)), lines_per)
    line_no = np.arange(len(line_inv)) - np.repeat(np.cumsum(lines_per) - lines_per, lines_per) + 1
    line_ap = inv_ap[line_inv]
    line_day = inv_day[line_inv]

    w = np.exp(rng.normal(0, 0.9, len(line_inv)))
    w_sum = np.bincount(line_ap, weights=w, minlength=len(ap_rev))
    net_target = ap_rev[line_ap] * w / w_sum[line_ap]

    a = ap_acc[line_ap]
    years = (line_day - day_number(START)) / 365.25
    disc = acc["disc_base"].to_numpy()[a] + acc["disc_drift"].to_numpy()[a] * years
    disc = np.clip(disc + rng.normal(0, 0.01, len(a)), 0.0, 0.6)
    list_target = net_target / (1 - disc)
    codes, groups, prices = _items()
    fits = np.searchsorted(prices, list_target / 2, side="right")
    item = np.minimum((rng.random(len(a)) * np.maximum(fits, 1)).astype(int), len(prices) - 1)
    white = acc["evidence_story"].to_numpy()[a] == "white_space"
    item = np.where(white, _without_category(groups, prices)[item], item)
    qty = np.maximum(1, np.round(list_target / prices[item]))
    list_amt = qty * prices[item]
    net = list_amt * (1 - disc)
    # rescale each account-period so its revenue is exactly the design target
    net_sum = np.bincount(line_ap, weights=net, minlength=len(ap_rev))
    f = np.divide(ap_rev, net_sum, out=np.ones_like(ap_rev), where=net_sum > 0)[line_ap]
    list_amt = np.round(list_amt * f, 2)
    net = np.round(net * f, 2)

    # credit notes: a few returns, a couple of weeks after the invoice
    cn = rng.random(len(a)) < 0.005
    cn_frac = rng.uniform(0.2, 1.0, cn.sum())
    cn_day = weekday(line_day[cn] + rng.integers(10, 40, cn.sum()))
    # a return due after the export date has not happened yet
    issued = cn_day <= day_number(AS_OF)
    cn[np.flatnonzero(cn)[~issued]] = False
    cn_frac, cn_day = cn_frac[issued], cn_day[issued]
    cn_qty = -np.maximum(1, np.round(qty[cn] * cn_frac))
    cn_list = np.round(-list_amt[cn] * (-cn_qty / qty[cn]), 2)
    cn_net = np.round(-net[cn] * (-cn_qty / qty[cn]), 2)

    day = np.r_[line_day, cn_day]
    kind = np.r_[np.zeros(len(a), int), np.ones(cn.sum(), int)]
    inv_key = np.r_[line_inv, np.arange(cn.sum())]
    frame = pd.DataFrame(
        {
            "day": day,
            "kind": kind,
            "inv": inv_key,
            "line": np.r_[line_no, np.ones(cn.sum(), int)],
            "acc": np.r_[a, a[cn]],
            "item": np.r_[item, item[cn]],
            "qty": np.r_[qty, cn_qty],
            "list": np.r_[list_amt, cn_list],
            "net": np.r_[net, cn_net],
        }
    )
    frame = frame.sort_values(["day", "kind", "inv", "line"], kind="stable").reset_index(drop=True)
    # invoice numbers in date order, as an ERP hands them out
    first_rows = ~frame.duplicated(["kind", "inv"])
    group = frame.groupby(["kind", "inv"], sort=False).ngroup().to_numpy()
    number = np.empty(group.max() + 1 if len(group) else 0, dtype=np.int64)
    number[group[first_rows.to_numpy()]] = np.arange(1, first_rows.sum() + 1)
    seq = number[group]
    prefix = np.where(frame["kind"].to_numpy() == 1, "GS", "RE")
    copy_part = f"{copy:03d}-" if copy else ""
    order_id = [f"{p}-{copy_part}{s:07d}" for p, s in zip(prefix, seq, strict=True)]
    line = frame["line"].to_numpy()
    return pd.DataFrame(
        {
            "row_key": None,  # invoice number and line are the key (schema.sql)
            "order_id": order_id,
            "line_no": line.astype(str),
            "order_date": dates(frame["day"].to_numpy()),
            "account_id": acc["account_id"].to_numpy()[frame["acc"].to_numpy()],
            "rep_id": None,
            "net_amount": frame["net"].to_numpy(),
            "list_amount": frame["list"].to_numpy(),
            "product": codes[frame["item"].to_numpy()],
            "product_category": groups[frame["item"].to_numpy()],
            "quantity": frame["qty"].to_numpy(),
            "currency": CURRENCY,
            "source": "orders",
            "source_file": "invoice_lines.csv",
            "line": line,
        }
    )
