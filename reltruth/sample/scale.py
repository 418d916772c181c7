"""Scale N is N copies of the cast, each made from its own generator, one copy at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reltruth.errors import UserError
from reltruth.sample.accounts import copy_rep_ids, make_accounts, make_reps
from reltruth.sample.activities import make_activities
from reltruth.sample.days import dates
from reltruth.sample.deals import make_deals
from reltruth.sample.design import design
from reltruth.sample.orders import make_orders

MAX_SCALE = 999  # ids carry the copy number in three digits


@dataclass
class Chunk:
    """One copy of the cast: canonical frames plus the export-only columns."""

    reps: pd.DataFrame
    accounts: pd.DataFrame
    activities: pd.DataFrame  # canonical columns + rep_name, account_name
    orders: pd.DataFrame  # canonical columns + line
    deals: pd.DataFrame  # pipeline columns + the export's own (names, amount, probability)


def _chunk(copy: int, seed: int) -> Chunk:
    rng = np.random.default_rng([seed, copy])
    acc = design(rng, make_accounts(rng, copy))
    reps = make_reps(acc, copy)
    activities = make_activities(rng, acc, copy)
    orders = make_orders(rng, acc, copy)
    # the deals draw from a generator of their own: the rows above stay as they were
    deals = make_deals(np.random.default_rng([seed, copy, 20]), acc, copy)
    rep_ids = np.array(copy_rep_ids(copy))
    accounts = pd.DataFrame(
        {
            "account_id": acc["account_id"],
            "account_name": acc["account_name"],
            "owner_rep_id": rep_ids[acc["rep"].to_numpy()],
            "potential": acc["potential"],
            "potential_estimated": False,
            "segment": acc["segment"],
            "region": acc["region"],
            "relationship_rating": acc["relationship_rating"].astype("int64"),
            "owner_since": dates(acc["owner_since_day"].to_numpy()),
            "company_revenue": acc["company_revenue"],
            "employees": acc["employees"].astype("int64"),
        }
    )
    return Chunk(reps, accounts, activities, orders, deals)


def chunks(scale: int, seed: int) -> Iterator[Chunk]:
    if not isinstance(scale, int) or not 1 <= scale <= MAX_SCALE:
        raise UserError(f"The sample scale must be a whole number from 1 to {MAX_SCALE}.")
    for copy in range(scale):
        yield _chunk(copy, seed)
