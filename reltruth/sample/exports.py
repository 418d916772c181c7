"""The sample as CRM-shaped export files: writing them, and loading them through ingestion."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from reltruth.errors import UserError
from reltruth.sample.cast import UNMATCHED
from reltruth.sample.scale import Chunk, chunks
from reltruth.sample.vocabulary import ACTIVITY_TYPES, ACTIVITY_WORDS, RATING_WORDS

if TYPE_CHECKING:
    from reltruth.ingest import LoadReport
    from reltruth.workspace import Workspace

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"  # beside the package
FILES = ("users.csv", "accounts.csv", "activities.csv", "invoice_lines.csv", "opportunities.csv")


def load_sample(ws: Workspace, scale: int = 1, seed: int = 7) -> LoadReport:
    """Load the sample exports through the real ingestion path.

    Scale 1 with the default seed is the committed ``sample_data/`` (a test keeps it equal to a
    fresh generation). Any other scale or seed, or an installed package that has no
    ``sample_data/`` beside it, writes the exports to a temporary folder first: the generator is
    deterministic, so the rows are the same as the files ``sample --out`` writes.
    """
    from reltruth.ingest import ingest_files

    if scale < 1:
        raise UserError(f"The sample's scale must be 1 or more (not {scale}).")
    committed = [SAMPLE_DIR / name for name in FILES]
    if scale == 1 and seed == 7 and all(p.exists() for p in committed):
        return ingest_files(ws, committed)
    with tempfile.TemporaryDirectory(prefix="reltruth-sample-") as tmp:
        return ingest_files(ws, write_sample(tmp, scale=scale, seed=seed))


def write_sample(out_dir: str | Path, scale: int = 1, seed: int = 7) -> list[Path]:
    """Write the CRM-shaped exports (users, accounts, activities, invoice lines, opportunities)
    to ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / name for name in FILES]
    with _Writers(paths) as w:
        for copy, chunk in enumerate(chunks(scale, seed)):
            w.users(chunk.reps)
            w.accounts(chunk.accounts, chunk.reps)
            extra = _unmatched_rows(chunk) if copy == 0 else None
            w.activities(chunk.activities, extra)
            w.invoice_lines(chunk.orders)
            w.opportunities(chunk.deals)
    return paths


def _unmatched_rows(chunk: Chunk) -> pd.DataFrame:
    names = chunk.reps["rep_name"].to_numpy()
    rows = []
    for i, (day, rep, account, atype, minutes, travel, role) in enumerate(UNMATCHED):
        rows.append(
            {
                "activity_id": f"00T999{i + 1:09d}",
                "activity_date": pd.Timestamp(day),
                "rep_name": names[rep],
                "account_name": account,
                "activity_type": atype.lower(),
                "duration_minutes": float(minutes),
                "travel_minutes": float(travel),
                "contact_role": role,
                "duration_estimated": False,
            }
        )
    return pd.DataFrame(rows)


class _Writers:
    """Streams the five export files; each copy of the cast is appended as it is made."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.n_accounts = 0
        self.n_deals = 0
        self.handles: list[Any] = []

    def __enter__(self) -> _Writers:
        users, accounts = (p.open("w", encoding="utf-8", newline="") for p in self.paths[:2])
        # the two big files are written by pyarrow, which writes bytes
        activities, invoices = (p.open("wb") for p in self.paths[2:4])
        deals = self.paths[4].open("w", encoding="utf-8", newline="")
        self.handles = [users, accounts, activities, invoices, deals]
        self.users_csv = csv.writer(users, lineterminator="\n")
        self.users_csv.writerow(
            ["User ID", "Full Name", "Manager", "Sales Team", "Region", "Email", "Annual Quota"]
        )
        # Salesforce report exports quote every field
        self.accounts_csv = csv.writer(accounts, quoting=csv.QUOTE_ALL, lineterminator="\n")
        self.accounts_csv.writerow(
            [
                "Account ID",
                "Account Name",
                "Account Owner",
                "Annual Potential",
                "Industry",
                "Billing Region",
                "Relationship",
                "Owner Since",
                "Annual Revenue",
                "Employees",
            ]
        )
        activities.write(
            b'"Activity ID","Date","Assigned","Company / Account","Activity Type",'
            b'"Duration (min)","Travel Time (min)","Contact Role"\n'
        )
        invoices.write(
            b'"Invoice No";"Line";"Invoice Date";"Customer No";"Item";"Product Group";'
            b'"Qty";"List Value";"Net Value";"Currency"\n'
        )
        # a Salesforce opportunities report: quoted, amounts like "12,500.00", a footer
        self.deals_csv = csv.writer(deals, quoting=csv.QUOTE_ALL, lineterminator="\n")
        self.deals_csv.writerow(
            [
                "Opportunity ID",
                "Opportunity Name",
                "Account ID",
                "Account Name",
                "Opportunity Owner",
                "Stage",
                "Amount",
                "Probability (%)",
                "Created Date",
                "Close Date",
                "Type",
            ]
        )
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self._report_footer(self.accounts_csv, self.n_accounts)
            self._report_footer(self.deals_csv, self.n_deals)
        for h in self.handles:
            h.close()

    @staticmethod
    def _report_footer(writer: Any, records: int) -> None:
        """The lines a Salesforce report export ends with (ingestion skips them)."""
        writer.writerow([])
        writer.writerow([f"Grand Totals ({records} records)"])
        writer.writerow([])
        writer.writerow(["Confidential Information - Do Not Distribute"])
        writer.writerow(["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."])

    def users(self, reps: pd.DataFrame) -> None:
        for r in reps.itertuples(index=False):
            self.users_csv.writerow(
                [r.rep_id, r.rep_name, r.manager, r.team, r.region, r.email, f"{r.quota:.0f}"]
            )

    def accounts(self, accounts: pd.DataFrame, reps: pd.DataFrame) -> None:
        owner = dict(zip(reps["rep_id"], reps["rep_name"], strict=True))
        for a in accounts.itertuples(index=False):
            self.accounts_csv.writerow(
                [
                    a.account_id,
                    a.account_name,
                    owner[a.owner_rep_id],
                    f"{a.potential:,.0f}",
                    a.segment,
                    a.region,
                    RATING_WORDS[int(a.relationship_rating)],
                    pd.Timestamp(a.owner_since).strftime("%m/%d/%Y"),
                    f"{a.company_revenue:,.0f}",
                    f"{int(a.employees)}",
                ]
            )
        self.n_accounts += len(accounts)

    def activities(self, acts: pd.DataFrame, extra: pd.DataFrame | None) -> None:
        if extra is not None:
            acts = pd.concat([acts, extra], ignore_index=True)
            acts = acts.sort_values(["activity_date", "activity_id"], kind="stable")
        words = dict(zip(ACTIVITY_TYPES, ACTIVITY_WORDS, strict=True))
        table = pa.table(
            {
                "Activity ID": pa.array(acts["activity_id"].to_numpy(), pa.string()),
                "Date": pc.strftime(
                    pa.array(pd.to_datetime(acts["activity_date"]).to_numpy(), pa.timestamp("s")),
                    format="%m/%d/%Y",
                ),
                "Assigned": pa.array(acts["rep_name"].to_numpy(), pa.string()),
                "Company / Account": pa.array(acts["account_name"].to_numpy(), pa.string()),
                "Activity Type": pa.array(acts["activity_type"].map(words).to_numpy(), pa.string()),
                "Duration (min)": pa.array(
                    acts["duration_minutes"].mask(acts["duration_estimated"]).to_numpy(),
                    pa.float64(),
                    from_pandas=True,
                ).cast(pa.int64()),
                "Travel Time (min)": pa.array(acts["travel_minutes"].to_numpy()).cast(pa.int64()),
                "Contact Role": pa.array(
                    acts["contact_role"].to_numpy(), pa.string(), from_pandas=True
                ),
            }
        )
        self._append(self.handles[2], table, ",")

    def invoice_lines(self, orders: pd.DataFrame) -> None:
        table = pa.table(
            {
                "Invoice No": pa.array(orders["order_id"].to_numpy(), pa.string()),
                "Line": pa.array(orders["line"].to_numpy(), pa.int64()),
                "Invoice Date": pc.strftime(
                    pa.array(pd.to_datetime(orders["order_date"]).to_numpy(), pa.timestamp("s")),
                    format="%d.%m.%Y",
                ),
                "Customer No": pa.array(orders["account_id"].to_numpy(), pa.string()),
                "Item": pa.array(orders["product"].to_numpy(), pa.string()),
                "Product Group": pa.array(orders["product_category"].to_numpy(), pa.string()),
                "Qty": pa.array(orders["quantity"].to_numpy()).cast(pa.int64()),
                "List Value": _decimal_comma(orders["list_amount"].to_numpy()),
                "Net Value": _decimal_comma(orders["net_amount"].to_numpy()),
                "Currency": pa.array(orders["currency"].to_numpy(), pa.string()),
            }
        )
        self._append(self.handles[3], table, ";")

    def opportunities(self, deals: pd.DataFrame) -> None:
        for d in deals.itertuples(index=False):
            self.deals_csv.writerow(
                [
                    d.deal_id,
                    d.deal_name,
                    d.account_id,
                    d.account_name,
                    d.rep_name,
                    d.stage_raw,
                    f"{d.value:,.2f}",
                    f"{d.probability}",
                    pd.Timestamp(d.engage_date).strftime("%m/%d/%Y"),
                    pd.Timestamp(d.close_date).strftime("%m/%d/%Y"),
                    d.deal_type,
                ]
            )
        self.n_deals += len(deals)

    @staticmethod
    def _append(handle: BinaryIO, table: pa.Table, delimiter: str) -> None:
        options = pa_csv.WriteOptions(include_header=False, delimiter=delimiter)
        pa_csv.write_csv(table, handle, options)


def _decimal_comma(values: np.ndarray) -> pa.Array:
    """Amounts as an ERP in Germany writes them: ``1234,50`` and ``-88,20``."""
    cents = np.round(np.asarray(values, dtype=float) * 100).astype(np.int64)
    absolute = np.abs(cents)
    euros = pc.cast(pa.array(absolute // 100), pa.string())
    rest = pc.utf8_lpad(pc.cast(pa.array(absolute % 100), pa.string()), width=2, padding="0")
    text = pc.binary_join_element_wise(euros, rest, ",")
    return pc.if_else(pa.array(cents < 0), pc.binary_join_element_wise("-", text, ""), text)
