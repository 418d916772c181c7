"""What the Data page shows, computed without drawing it: the mapping table of a file and what
the user's edits of it mean, the load batches (one per table), the load report and the import
log as display frames, the potential estimate's inputs, and the data health checklist.

Why a view of its own: the page used to group files by table, merge reports and derive the
mapping editor's state between its widgets, where no unit test could reach it. Here every
step is a function of plain values returning a frozen dataclass or a frame with the page's
column names; ``pages/data.py`` draws widgets (through ``reltruth.ui.data_page``) and renders
these. No Streamlit here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reltruth import ingest
from reltruth.coaching.render_markdown import md
from reltruth.ingest import undo
from reltruth.ingest.synonyms import IGNORE, fields_of
from reltruth.views import health
from reltruth.workspace import Workspace

TABLE_NAMES = {
    "reps": "Reps (users)",
    "accounts": "Accounts",
    "activities": "Activities",
    "orders": "Orders / invoice lines",
    "deals": "Deals / opportunities",
    "price_list": "Price list",
}
IGNORED = "(ignore this column)"
FIELD_LABELS = {
    "line": "Line in the file",
    "rep_id": "Rep ID",
    "account_id": "Account ID",
    "activity_id": "Activity ID",
    "order_id": "Order ID",
    "owner_rep_id": "Owner (rep ID)",
    "owner_rep_name": "Owner (rep name)",
    "line_no": "Line number",
    "discount_pct": "Discount (%)",
}
# How preview values show, so that they read as they will load (0.085 is a discount of 8.5 %).
PREVIEW_FORMATS = {
    "discount_pct": "percent",
    "duration_minutes": "%.1f min",
    "duration_seconds": "%.1f min",
    "duration_ms": "%.1f min",
    "travel_minutes": "%.1f min",
}
HEALTH_TABLES = {
    "reps": "Reps",
    "accounts": "Accounts (estimated: potentials)",
    "activities": "Activities (estimated: durations)",
    "orders": "Order lines",
}
ANY_SEGMENT = "(any other segment)"
REPORT_COUNTS = (
    "Rows read",
    "Loaded",
    "Already loaded (skipped)",
    "Rejected",
    "Unmatched accounts",
)
IMPORT_COUNTS = ("Rows read", "Loaded", "Rejected", "Unmatched accounts", "Unknown reps")


def field_label(field: str) -> str:
    """ "owner_rep_name" -> "Owner rep name": the canonical field as a person reads it."""
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def table_label(table: str | None) -> str:
    """The table as the page names it; "–" for a file that never got one."""
    return TABLE_NAMES.get(table or "", table or "–")


def safe_name(name: str) -> str:
    """A file name safe inside the staging folder (the user's name is shown, not this)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._") or "upload"
    return stem[:120]


def table_choice(table: str, recognised: str | None) -> str:
    """One option of the table picker; the recognised table says so."""
    return TABLE_NAMES.get(table, table) + (" (recognised)" if table == recognised else "")


# --- the mapping of one file ------------------------------------------------------------------


@dataclass(frozen=True)
class MappingTable:
    """What the mapping editor starts from: how the mapping came about, the fields a column
    may load as, and one row per column of the file ("Column in the file", "Loads as", "Why")."""

    how: str
    choices: tuple[str, ...]
    frame: pd.DataFrame


def mapping_table(base: ingest.Proposal, table: str, recognised: str | None) -> MappingTable:
    if base.saved:
        how = "the mapping saved for files with these columns"
    elif table != recognised:
        how = "your choice of table"
    else:
        how = f"recognised with {base.confidence:.0%} of the columns understood"
    return MappingTable(
        how=f"Mapping: {how}. Change a field, or ignore a column, in the table below.",
        choices=(IGNORED, *[f for f in fields_of(table) if f != IGNORE]),
        frame=pd.DataFrame(
            {
                "Column in the file": list(base.mapping),
                "Loads as": [_field(f) or IGNORED for f in base.mapping.values()],
                "Why": [base.reasons.get(h, "") for h in base.mapping],
            }
        ),
    )


@dataclass(frozen=True)
class MappingEdit:
    """The user's mapping table read back: header -> field (None = ignored), the headers
    whose field differs from the proposal's (as ``propose`` takes them: IGNORE for None),
    and why it cannot load ("" when it can)."""

    mapping: dict[str, str | None]
    overrides: dict[str, str | None]
    error: str = ""


def read_mapping(edited: pd.DataFrame, base: ingest.Proposal) -> MappingEdit:
    mapping = {
        str(h): (None if f in (None, IGNORED) else str(f))
        for h, f in zip(edited["Column in the file"], edited["Loads as"], strict=True)
    }
    by_field: dict[str, list[str]] = {}
    for header, fld in mapping.items():
        if fld:
            by_field.setdefault(fld, []).append(header)
    twice = {f: cols for f, cols in by_field.items() if len(cols) > 1}
    if twice:
        return MappingEdit(
            mapping,
            {},
            "Each field can come from one column only: "
            + "; ".join(
                f"{' and '.join(md(h) for h in cols)} are all mapped to {field_label(f)}"
                for f, cols in twice.items()
            )
            + ". Set all but one of them to another field or to ignore.",
        )
    overrides: dict[str, str | None] = {
        h: f or IGNORE for h, f in mapping.items() if f != _field(base.mapping.get(h))
    }
    return MappingEdit(mapping, overrides)


def needs_confirmation(
    base: ingest.Proposal, table: str, recognised: str | None, overrides: dict[str, str | None]
) -> bool:
    """A weak recognition the user has not touched waits for their word (docs/ingest.md)."""
    return base.needs_confirmation and table == recognised and not overrides


def _field(value: str | None) -> str | None:
    return None if value in (None, IGNORE) else value


# --- loading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """One upload ready to load: as the user saw it in its mapping table."""

    path: Path
    table: str
    mapping: dict[str, str | None]
    name: str  # the user's file name
    sheet: str | None = None
    replace: bool = False  # replace what an earlier import of this name loaded


@dataclass(frozen=True)
class Batch:
    """One ``ingest_files`` call: it takes one table per call."""

    table: str
    paths: list[Path]
    mappings: dict[str, dict[str, str | None]]
    names: dict[str, str]
    sheets: dict[str, str]
    replace: set[str] = field(default_factory=set)


def batches(planned: Iterable[Planned]) -> list[Batch]:
    """The planned files grouped by table, in the order the tables first appear."""
    groups: dict[str, list[Planned]] = {}
    for plan in planned:
        groups.setdefault(plan.table, []).append(plan)
    return [
        Batch(
            table=table,
            paths=[p.path for p in files],
            mappings={str(p.path): p.mapping for p in files},
            names={str(p.path): p.name for p in files},
            sheets={str(p.path): p.sheet for p in files if p.sheet},
            replace={str(p.path) for p in files if p.replace},
        )
        for table, files in groups.items()
    ]


def merge_reports(reports: Sequence[ingest.LoadReport]) -> ingest.LoadReport:
    """One report for the page: every call's files and notes, in call order."""
    return ingest.LoadReport(
        [f for r in reports for f in r.files], [n for r in reports for n in r.notes]
    )


def loaded_caption(done: int) -> str:
    """Said above the files when some of the uploads are loaded already ("" when none is)."""
    if not done:
        return ""
    return (
        f"{done} of the files above {'is' if done == 1 else 'are'} loaded "
        "(see the report below); add more files, or remove them from the list."
    )


def load_label(n: int) -> str:
    return f"Load {n} file{'s' if n > 1 else ''}"


# --- the load report ---------------------------------------------------------------------


@dataclass(frozen=True)
class Details:
    """The expander of one file of a report: its label and whether it opens by itself."""

    number: int  # 1-based, as the table's rows read
    label: str
    expanded: bool
    file: ingest.FileReport


@dataclass(frozen=True)
class ReportView:
    refused: str | None
    frame: pd.DataFrame  # one row per file, columns as shown
    notes: tuple[str, ...]
    details: tuple[Details, ...]  # files with rejects, unmatched names, unknown reps or notes


def report_view(report: ingest.LoadReport) -> ReportView:
    frame = pd.DataFrame(
        [
            {
                "File": f.file,
                "Table": table_label(f.table),
                "Rows read": f.rows_read,
                "Loaded": f.rows_loaded,
                "Already loaded (skipped)": f.rows_duplicate,
                "Rejected": f.rows_rejected,
                "Unmatched accounts": len(f.unmatched_accounts),
            }
            for f in report.files
        ]
    )
    return ReportView(
        refused=report.refused,
        frame=frame,
        notes=tuple(report.notes),
        details=tuple(
            Details(
                n + 1,
                f"Details: file {n + 1} ({f.rows_rejected:,} rejected)",
                bool(f.rejects),  # rejected lines are what the user must act on
                f,
            )
            for n, f in enumerate(report.files)
            if has_details(f)
        ),
    )


def has_details(f: ingest.FileReport) -> bool:
    return bool(f.rejects or f.unmatched_accounts or f.notes or f.unknown_reps)


@dataclass(frozen=True)
class FileDetails:
    """One file's report as tables: rejected lines (Line, Reason), the account names kept
    aside and the reps no reps export has brought; empty frames where there are none."""

    file: str
    notes: tuple[str, ...]
    rejects: pd.DataFrame
    unmatched: pd.DataFrame
    unknown_reps: pd.DataFrame


def file_details(f: ingest.FileReport) -> FileDetails:
    return FileDetails(
        file=f.file,
        notes=tuple(f.notes),
        rejects=pd.DataFrame(
            {"Line": [r.line for r in f.rejects], "Reason": [r.reason for r in f.rejects]}
        ),
        unmatched=pd.DataFrame({"Account name in the file": f.unmatched_accounts}),
        unknown_reps=pd.DataFrame({"Rep name in the file": f.unknown_reps}),
    )


# --- the import log and undo ---------------------------------------------------------------


@dataclass(frozen=True)
class ImportsView:
    frame: pd.DataFrame  # one row per import, columns as shown
    labels: dict[str, str]  # import_id -> "file (date, time)", the last import first
    reports: dict[str, ingest.FileReport]  # import_id -> its report, where one was kept
    undoable: dict[str, str]  # the imports undo can take back, labelled

    @property
    def is_empty(self) -> bool:
        return not self.labels


def imports_view(ws: Workspace) -> ImportsView:
    """The import log with each import's report (kept in the workspace, so an import of an
    earlier session reopens too)."""
    return build_imports_view(undo.imports(ws), ingest.past_reports(ws))


def build_imports_view(
    log: Sequence[undo.Import], reports: dict[str, ingest.FileReport]
) -> ImportsView:
    empty = ingest.FileReport("", None, 0, 0, 0, 0)
    kept = [reports.get(i.import_id, empty) for i in log]
    frame = pd.DataFrame(
        {
            "Loaded at": [i.loaded_at for i in log],
            "File": [i.file for i in log],
            "Table": [table_label(i.table) for i in log],
            "Rows read": [i.rows_read for i in log],
            "Loaded": [i.rows_loaded for i in log],
            "Rejected": [i.rows_rejected for i in log],
            "Unmatched accounts": [len(r.unmatched_accounts) for r in kept],
            "Unknown reps": [len(r.unknown_reps) for r in kept],
            "Can be undone": [i.can_undo for i in log],
        }
    )
    return ImportsView(
        frame=frame,
        labels={i.import_id: import_label(i) for i in log},
        reports=dict(reports),
        undoable={i.import_id: import_label(i) for i in log if i.can_undo},
    )


def import_label(i: undo.Import) -> str:
    return f"{i.file} ({i.loaded_at:%d %b %Y, %H:%M})"


def past_summary(past: ingest.FileReport) -> tuple[str, str]:
    """An earlier import's counts, and "" or the sentence that nothing else is to report."""
    counts = (
        f"{past.rows_read:,} rows read, {past.rows_loaded:,} loaded, "
        f"{past.rows_duplicate:,} already loaded (skipped), {past.rows_rejected:,} rejected."
    )
    if has_details(past):
        return counts, ""
    return counts, "Nothing else to report: no rejected lines, unmatched names or unknown reps."


def undo_warning(log: Sequence[undo.Import], import_id: str) -> str:
    """What undoing ``import_id`` does: the imports after it go too (their rows may build
    on it)."""
    chosen = next(i for i in log if i.import_id == import_id)
    later = [i for i in log if i.loaded_at > chosen.loaded_at]
    return f"Every table goes back to what it was before {import_label(chosen)} was loaded" + (
        f", and the {len(later)} import{'s' if len(later) > 1 else ''} after it are taken back too."
        if later
        else "."
    )


def undone_message(undone: Sequence[undo.Import]) -> str:
    return "Undone: " + ", ".join(import_label(i) for i in undone)


# --- potentials ----------------------------------------------------------------------------


def segment_frame(found: Sequence[tuple[str, int]]) -> pd.DataFrame:
    """The per-segment editor: one row per segment with accounts to estimate, and the "any
    other segment" row for accounts without one, offered even when there are none (for
    accounts that arrive later)."""
    rows = list(found)
    if all(name for name, _ in rows):
        rows.append(("", 0))
    return pd.DataFrame(
        {
            "segment": [name or ANY_SEGMENT for name, _ in rows],
            "accounts": [n for _, n in rows],
            "potential": [None] * len(rows),
        }
    )


def segment_values(edited: pd.DataFrame) -> dict[str, float]:
    """The edited segment table as ``estimate_potentials`` takes it ("*" = any other)."""
    return {
        ("*" if str(r["segment"]) == ANY_SEGMENT else str(r["segment"])): float(r["potential"])
        for r in edited.to_dict("records")
        if pd.notna(r["potential"])
    }


# --- data health ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthView:
    checklist: pd.DataFrame  # "", Part, Loaded, Still missing? Load, Unlocks
    figures: health.Health
    # one row per table: table_label, row_count, dates, estimated_share, unmatched_rows
    tables: pd.DataFrame

    @property
    def offers_estimate(self) -> bool:
        """Estimate potentials is offered while accounts lack one or estimates exist."""
        return bool(
            self.figures.accounts_without_potential or self.figures.potentials_estimated_share
        )


def health_view(ws: Workspace) -> HealthView:
    checks = health.checklist(ws)
    h = health.data_health(ws)
    records = h.tables.to_dict("records")
    return HealthView(
        checklist=pd.DataFrame(
            {
                "": ["✓" if c.ok else "–" for c in checks],
                "Part": [c.name for c in checks],
                "Loaded": [c.have for c in checks],
                "Still missing? Load": [c.how for c in checks],
                "Unlocks": [c.unlocks for c in checks],
            }
        ),
        figures=h,
        tables=h.tables.assign(
            table_label=[HEALTH_TABLES.get(str(r["table_name"]), r["table_name"]) for r in records],
            dates=[health.date_range(r) for r in records],
        ),
    )
