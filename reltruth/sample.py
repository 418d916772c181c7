"""The built-in story data set, in the shape a CRM and an ERP would export it.

Why it exists: a sales trainer needs one click to a realistic data set whose stories match
the seeds (a relationship builder, a consistent top performer, a neglected newcomer), and
the benchmarks need the same data multiplied to millions of rows. Both come from one
deterministic generator, so the workshop demo and the benchmark test the same shapes.

Scale N is N independent copies of the eight-rep cast (copy 0 *is* the scale-1 sample), each
generated from its own ``numpy`` generator seeded with ``(seed, copy)`` and written before
the next one is made, so memory stays flat however large N is. The numbers behind the
stories, and why they were chosen, are in ``docs/sample.md``.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from reltruth.errors import UserError
from reltruth.schema import STORED
from reltruth.settings import DEFAULT_DURATIONS
from reltruth.sql import quote_ident

if TYPE_CHECKING:
    from reltruth.ingest import LoadReport
    from reltruth.workspace import Workspace

AS_OF = date(2026, 9, 30)
START = date(2023, 10, 1)
# Three 12-month periods that coincide with the default windows at AS_OF:
# 0 = Oct 2023 - Sep 2024, 1 = the prior window, 2 = the current window.
PERIOD_STARTS = (date(2023, 10, 1), date(2024, 10, 1), date(2025, 10, 1))
PERIOD_ENDS = (date(2024, 9, 30), date(2025, 9, 30), date(2026, 9, 30))
CURRENCY = "EUR"
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
FILES = ("users.csv", "accounts.csv", "activities.csv", "invoice_lines.csv", "opportunities.csv")
MAX_SCALE = 999  # ids carry the copy number in three digits

# The sample's canonical frames have the stored tables' columns (reltruth/schema.py).
CANONICAL_COLUMNS = {
    # "pipeline": every deal of the opportunities export (won ones are also order rows,
    # source 'deals')
    t: STORED[t].column_names
    for t in ("reps", "accounts", "activities", "orders", "pipeline")
}

# ---------------------------------------------------------------------------------------
# The cast
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepProfile:
    """How one member of the cast works; every number is a design target, see docs/sample.md."""

    name: str
    team: str
    manager: str
    region: str
    style: str  # builder | top | ordinary | newcomer
    hours: float  # hours with accounts per year
    growth: tuple[float, float]  # mean account growth in period 1 and period 2
    growth_sd: float
    penetration: float  # mean current penetration of an ordinary account of the book
    attainment: float  # planned current quota attainment (the quota follows from it)
    n_existing: int
    new_accounts: tuple[int, int]  # won in period 1, in period 2
    ratio_sd: float  # spread of the allocation ratio (log scale)


CAST = (
    RepProfile(
        "Frank Berger",
        "North",
        "Maria Keller",
        "North",
        "builder",
        1150,
        (0.01, 0.0),
        0.06,
        0.36,
        0.84,
        36,
        (1, 0),
        0.35,
    ),
    RepProfile(
        "Lena Vogt",
        "North",
        "Maria Keller",
        "North",
        "top",
        960,
        (0.10, 0.08),
        0.05,
        0.56,
        1.21,
        34,
        (3, 4),
        0.12,
    ),
    RepProfile(
        "Tom Brandt",
        "North",
        "Maria Keller",
        "West",
        "ordinary",
        1000,
        (0.05, 0.05),
        0.10,
        0.45,
        0.97,
        36,
        (2, 2),
        0.45,
    ),
    RepProfile(
        "Aylin Demir",
        "North",
        "Maria Keller",
        "West",
        "ordinary",
        980,
        (0.06, 0.07),
        0.10,
        0.47,
        1.03,
        35,
        (2, 2),
        0.45,
    ),
    RepProfile(
        "Jonas Weber",
        "South",
        "Paul Schneider",
        "South",
        "newcomer",
        950,
        (0.04, 0.02),
        0.07,
        0.34,
        0.88,
        34,
        (0, 0),
        0.35,
    ),
    RepProfile(
        "Sofia Romano",
        "South",
        "Paul Schneider",
        "South",
        "ordinary",
        1000,
        (0.07, 0.02),
        0.10,
        0.46,
        1.00,
        35,
        (2, 2),
        0.45,
    ),
    RepProfile(
        "Mark Ellis",
        "South",
        "Paul Schneider",
        "Southwest",
        "ordinary",
        1020,
        (0.04, 0.04),
        0.10,
        0.44,
        0.93,
        35,
        (2, 2),
        0.45,
    ),
    RepProfile(
        "Nina Petrov",
        "South",
        "Paul Schneider",
        "Southwest",
        "ordinary",
        990,
        (0.03, 0.13),
        0.10,
        0.48,
        1.06,
        35,
        (2, 2),
        0.45,
    ),
)
BUILDER, TOP, NEWCOMER = 0, 1, 4  # positions in CAST
# Jonas took his accounts over from the South colleagues when he joined.
NEWCOMER_PREDECESSORS = (5, 6, 7)

# Story accounts (copy 0 names; later copies get generated names).
COMFORT_NAMES = (
    "Müller & Söhne Metallbau",
    "Petersen Landtechnik KG",
    "Holsten Kältetechnik GmbH",
    "Fischer Feinmechanik e.K.",
    "Elbe Werkzeugbau KG",
)
CLAIM_GAP_NAMES = (
    "Hansa Maschinenbau GmbH",
    "Nordwerft Industrieservice AG",
    "Weser Antriebstechnik GmbH",
    "Baltic Food Processing A/S",
)
NEGLECTED_NAMES = (
    "Rheinstahl Anlagenbau AG",
    "Bavaria Präzisionsteile GmbH",
    "Alpen Pharma Produktion GmbH",
    "Donau Kunststofftechnik GmbH",
    "Officine Rossi S.p.A.",
    "Schwaben Automotive Systems SE",
    "Kovo Brno s.r.o.",
    "Inntal Brauerei GmbH",
    "Lech Papierfabrik GmbH & Co. KG",
    "Spessart Holzwerke GmbH",
    "Allgäu Milchwerke eG",
)
OTHER_NAMED = (
    "Café Lumière SARL",
    "Schulz, Braun & Partner GmbH",
    "Société Alsacienne de Mécanique SAS",
    "Van der Berg Verpakking B.V.",
    "Nordisk Stål A/S",
    "Łódź Metal Sp. z o.o.",
    "Österreichische Präzisionswerke GmbH",
    "Zürcher Feinwerktechnik AG",
)
# segments of the hand-written names (index into SEGMENTS); generated names take theirs
# from the trade in the name
NAMED_SEGMENTS = {
    "Müller & Söhne Metallbau": 4,
    "Petersen Landtechnik KG": 0,
    "Holsten Kältetechnik GmbH": 6,
    "Fischer Feinmechanik e.K.": 4,
    "Elbe Werkzeugbau KG": 4,
    "Hansa Maschinenbau GmbH": 0,
    "Nordwerft Industrieservice AG": 0,
    "Weser Antriebstechnik GmbH": 0,
    "Baltic Food Processing A/S": 2,
    "Rheinstahl Anlagenbau AG": 0,
    "Bavaria Präzisionsteile GmbH": 1,
    "Alpen Pharma Produktion GmbH": 3,
    "Donau Kunststofftechnik GmbH": 3,
    "Officine Rossi S.p.A.": 0,
    "Schwaben Automotive Systems SE": 1,
    "Kovo Brno s.r.o.": 4,
    "Inntal Brauerei GmbH": 2,
    "Lech Papierfabrik GmbH & Co. KG": 3,
    "Spessart Holzwerke GmbH": 5,
    "Allgäu Milchwerke eG": 2,
    "Café Lumière SARL": 2,
    "Schulz, Braun & Partner GmbH": 5,
    "Société Alsacienne de Mécanique SAS": 0,
    "Van der Berg Verpakking B.V.": 2,
    "Nordisk Stål A/S": 4,
    "Łódź Metal Sp. z o.o.": 4,
    "Österreichische Präzisionswerke GmbH": 1,
    "Zürcher Feinwerktechnik AG": 6,
}
NEGLECTED_TOP_POTENTIAL = 1_200_000.0  # "Rheinstahl could buy €1.2 M a year"
# Issue 20's stories on the builder's claim gaps: the largest (Hansa) buys no hydraulics,
# which most Machinery accounts buy; on the second (Nordwerft) no decision maker has been
# met since the spring. Their lines and activities are changed after they are drawn, so no
# other account's data move.
WHITE_SPACE_CATEGORY = "Hydraulics"
NO_DECISION_MAKER_SINCE = date(2026, 4, 1)
# The third (Weser) has an offer open since February: the builder who "never closes or asks
# for a resolution of an offer". It is the sample's only deal open longer than its owner's
# median cycle: every other deal still open was engaged within OPEN_DEAL_AGE of that median.
STALLED_DEAL_SINCE = date(2026, 2, 3)
STALLED_DEAL_SHARE = 0.25  # its value: a quarter of the account's yearly potential
# Activities whose account is not in the accounts export: a prospect nobody created yet and a
# name typed without its legal form. The load report must list them (docs/ingest.md).
UNMATCHED = (
    (date(2026, 8, 12), 3, "Nordlicht Logistik GmbH", "Call", 20, 0, "Purchasing"),
    (date(2026, 9, 3), 3, "Nordlicht Logistik GmbH", "Visit", 60, 45, "Decision maker"),
    (date(2026, 9, 17), 0, "Hansa Maschinenbau", "Call", 15, 0, "User"),
)

SEGMENTS = (  # industry, typical discount off list
    ("Machinery", 0.11),
    ("Automotive Supply", 0.14),
    ("Food & Beverage", 0.09),
    ("Chemicals & Pharma", 0.10),
    ("Metalworking", 0.12),
    ("Construction", 0.12),
    ("Electrical", 0.10),
)
TRADES = (  # name part -> segment index
    ("Maschinenbau", 0),
    ("Anlagenbau", 0),
    ("Fördertechnik", 0),
    ("Verpackungstechnik", 0),
    ("Automation", 0),
    ("Antriebstechnik", 0),
    ("Automotive Systems", 1),
    ("Fahrzeugteile", 1),
    ("Präzisionsteile", 1),
    ("Druckguss", 1),
    ("Lebensmitteltechnik", 2),
    ("Brauerei", 2),
    ("Molkerei", 2),
    ("Backwaren", 2),
    ("Chemie", 3),
    ("Pharma Produktion", 3),
    ("Kunststofftechnik", 3),
    ("Lacke", 3),
    ("Metallbau", 4),
    ("Stahlbau", 4),
    ("Umformtechnik", 4),
    ("Gießerei", 4),
    ("Oberflächentechnik", 4),
    ("Bau", 5),
    ("Betonwerk", 5),
    ("Haustechnik", 5),
    ("Elektrotechnik", 6),
    ("Kabelwerk", 6),
    ("Schaltanlagen", 6),
    ("Feinmechanik", 4),
    ("Kältetechnik", 6),
    ("Landtechnik", 0),
)
STEMS = (
    "Adler",
    "Albrecht",
    "Alster",
    "Atlas",
    "Baumann",
    "Beck",
    "Becker",
    "Böhm",
    "Braun",
    "Condor",
    "Ems",
    "Falk",
    "Franke",
    "Friedrich",
    "Fuchs",
    "Greif",
    "Günther",
    "Hahn",
    "Hartmann",
    "Harz",
    "Havel",
    "Hofmann",
    "Isar",
    "Jung",
    "Kaiser",
    "Kinzig",
    "Koch",
    "Köhler",
    "Kraus",
    "Krause",
    "Lahn",
    "Lange",
    "Lehmann",
    "Lorenz",
    "Löwen",
    "Ludwig",
    "Main",
    "Maier",
    "Merkur",
    "Möller",
    "Mosel",
    "Neckar",
    "Neumann",
    "Oder",
    "Peters",
    "Phönix",
    "Richter",
    "Roth",
    "Saale",
    "Saxonia",
    "Schäfer",
    "Schmitt",
    "Scholz",
    "Schröder",
    "Schuster",
    "Schwarz",
    "Spree",
    "Teutonia",
    "Titan",
    "Vogel",
    "Vulkan",
    "Walter",
    "Weiß",
    "Werner",
    "Westfalia",
    "Winter",
    "Wolf",
    "Zimmermann",
)
FORMS = ("GmbH", "GmbH", "GmbH", "GmbH & Co. KG", "GmbH & Co. KG", "AG", "KG", "e.K.", "SE")
CITIES = (
    "Aachen",
    "Augsburg",
    "Bielefeld",
    "Bochum",
    "Bonn",
    "Braunschweig",
    "Bremen",
    "Chemnitz",
    "Darmstadt",
    "Dortmund",
    "Dresden",
    "Duisburg",
    "Erfurt",
    "Essen",
    "Freiburg",
    "Fulda",
    "Gera",
    "Hagen",
    "Halle",
    "Hamburg",
    "Hamm",
    "Hannover",
    "Heilbronn",
    "Jena",
    "Kassel",
    "Kiel",
    "Koblenz",
    "Krefeld",
    "Leipzig",
    "Lübeck",
    "Magdeburg",
    "Mainz",
    "Mannheim",
    "Münster",
    "Nürnberg",
    "Oldenburg",
    "Osnabrück",
    "Paderborn",
    "Passau",
    "Potsdam",
    "Regensburg",
    "Rostock",
    "Saarbrücken",
    "Siegen",
    "Trier",
    "Ulm",
    "Wiesbaden",
    "Würzburg",
)
FIRST_NAMES = (
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Elena",
    "Felix",
    "Greta",
    "Hannah",
    "Ivan",
    "Julia",
    "Karl",
    "Laura",
    "Max",
    "Nora",
    "Oskar",
    "Paula",
    "Quentin",
    "Rosa",
    "Simon",
    "Tanja",
    "Uwe",
    "Vera",
    "Wiebke",
    "Yusuf",
    "Zoe",
    "Emil",
    "Marta",
    "Luca",
    "Ines",
    "Jan",
    "Mia",
    "Noah",
    "Leon",
    "Lea",
    "Paul",
    "Sara",
    "Timo",
    "Ute",
    "Eva",
    "Finn",
)
LAST_NAMES = (
    "Albers",
    "Bauer",
    "Claasen",
    "Dietz",
    "Ebert",
    "Förster",
    "Graf",
    "Haas",
    "Iwanow",
    "Jäger",
    "Kühn",
    "Lindner",
    "Mayer",
    "Nowak",
    "Ott",
    "Pohl",
    "Quast",
    "Rieger",
    "Sommer",
    "Thiel",
    "Ullrich",
    "Voss",
    "Wendt",
    "Yilmaz",
    "Ziegler",
    "Brandl",
    "Conti",
    "Dahl",
    "Engel",
    "Frey",
    "Gross",
    "Horn",
    "Kaya",
    "Lutz",
    "Marx",
    "Nagel",
    "Popp",
    "Rossi",
    "Seidel",
    "Stein",
)
PRODUCT_GROUPS = (  # group, item prefix, unit list prices
    ("Bearings", "BRG", (4.8, 12.5, 38.0, 96.0, 240.0)),
    ("Fasteners", "FST", (0.9, 2.4, 6.5, 18.0)),
    ("Hydraulics", "HYD", (45.0, 180.0, 620.0, 1450.0)),
    ("Pneumatics", "PNM", (22.0, 85.0, 310.0, 890.0)),
    ("Drive Technology", "DRV", (120.0, 480.0, 1650.0, 3900.0)),
    ("Tools", "TLS", (8.5, 29.0, 115.0, 420.0)),
    ("Safety", "SAF", (3.2, 14.0, 49.0)),
    ("Lubricants", "LUB", (6.9, 24.0, 89.0)),
)
ACTIVITY_TYPES = ("visit", "meeting", "call", "email", "other")
ACTIVITY_WORDS = ("Visit", "Meeting", "Call", "Email", "Other")
# contact roles as the CRM writes them; ingestion keeps the text as it is
ROLES = ("Decision maker", "Influencer", "User", "Purchasing")
RATING_WORDS = {5: "Excellent", 4: "Good", 3: "Average", 2: "Weak", 1: "Poor"}
DEFAULT_MINUTES = np.array([DEFAULT_DURATIONS[t] for t in ACTIVITY_TYPES])  # docs/ingest.md

# Activity mixes by account kind: type probabilities (visit, meeting, call, email, other),
# role probabilities, and the share of blank durations per type.
KIND_ORDINARY, KIND_COMFORT, KIND_NEGLECTED, KIND_TOP = 0, 1, 2, 3
TYPE_MIX = np.array(
    [
        [0.15, 0.12, 0.38, 0.30, 0.05],
        [0.45, 0.25, 0.20, 0.05, 0.05],  # comfort: long visits, lunches
        [0.03, 0.04, 0.33, 0.55, 0.05],  # neglected: the odd call and email
        [0.22, 0.20, 0.33, 0.20, 0.05],
    ]
)
ROLE_MIX = np.array(
    [
        [0.25, 0.25, 0.25, 0.25],
        [0.08, 0.32, 0.45, 0.15],  # the builder's friends, not the buyers of the future
        [0.10, 0.15, 0.20, 0.55],
        [0.42, 0.25, 0.13, 0.20],
    ]
)
BLANK_DURATION = np.array([0.04, 0.06, 0.12, 0.15, 0.10])
MEAN_MINUTES = np.array([[80.0, 50.0, 12.0, 5.5, 15.0], [115.0, 60.0, 12.0, 5.5, 15.0]])
ON_SITE_MEETING_TRAVEL = 40.0  # minutes, for the three meetings in ten held on site
MEAN_TRAVEL = np.array([[50.0, 12.0, 0.0, 0.0, 0.0], [35.0, 12.0, 0.0, 0.0, 0.0]])

# Deals, as a Salesforce opportunities report lists them: the median days from engagement to
# close and the share of closed deals won, per rep style (the builder's offers wait longest).
DEAL_CYCLE_DAYS = {"builder": 70.0, "top": 35.0, "ordinary": 50.0, "newcomer": 45.0}
DEAL_WIN_RATE = {"builder": 0.30, "top": 0.55, "ordinary": 0.40, "newcomer": 0.30}
# A deal engaged longer ago than this share of its owner's planned median is closed by as_of,
# so that STALLED_DEAL_SINCE's offer is the one open past a median (docs/sample.md).
OPEN_DEAL_AGE = 0.6
OPEN_STAGES = (  # Salesforce's default stages and probabilities, in order
    ("Qualification", 10),
    ("Needs Analysis", 20),
    ("Value Proposition", 50),
    ("Proposal/Price Quote", 75),
    ("Negotiation/Review", 90),
)
DEAL_SUBJECTS = ("framework agreement", "retrofit", "line equipment", "spare parts stock")

_EPOCH = np.datetime64("1970-01-01", "D")


def _day(d: date) -> int:
    """Days since 1970-01-01: the generator works on integer days for speed."""
    return int((np.datetime64(d, "D") - _EPOCH).astype(np.int64))


# ---------------------------------------------------------------------------------------
# One copy of the cast
# ---------------------------------------------------------------------------------------


@dataclass
class _Chunk:
    """One copy of the cast: canonical frames plus the export-only columns."""

    reps: pd.DataFrame
    accounts: pd.DataFrame
    activities: pd.DataFrame  # canonical columns + rep_name, account_name
    orders: pd.DataFrame  # canonical columns + line
    deals: pd.DataFrame  # pipeline columns + the export's own (names, amount, probability)


def _rep_names(copy: int) -> list[str]:
    """Eight rep names and two manager names for a copy; copy 0 is the fixed cast."""
    if copy == 0:
        return [p.name for p in CAST] + ["Maria Keller", "Paul Schneider"]
    pool = len(FIRST_NAMES) * len(LAST_NAMES)
    out = []
    for k in range(10):
        i = (copy - 1) * 10 + k
        # a stride coprime with the pool walks it without repeats; beyond one pass a middle
        # initial keeps names unique (scale > 160)
        j = (i * 7919) % pool
        first, last = FIRST_NAMES[j // len(LAST_NAMES)], LAST_NAMES[j % len(LAST_NAMES)]
        middle = f" {chr(65 + (i // pool - 1) % 26)}." if i >= pool else ""
        out.append(f"{first}{middle} {last}")
    return out


def _email(name: str) -> str:
    ascii_name = name.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    ascii_name = unicodedata.normalize("NFKD", ascii_name).encode("ascii", "ignore").decode()
    parts = ascii_name.lower().replace(".", "").split()
    return f"{'.'.join(parts)}@nordtec-industrie.de"  # a middle initial keeps it unique


def _account_names(rng: np.random.Generator, copy: int, n: int, taken: set[str]) -> list[str]:
    """``n`` distinct generated company names; later copies add a city so names never clash."""
    space = len(STEMS) * len(TRADES) * len(FORMS)
    picks = rng.permutation(space)
    out: list[str] = []
    city = CITIES[(copy - 1) % len(CITIES)] if copy else ""
    suffix = f" {city}" if copy else ""
    if copy > len(CITIES):
        suffix += f" {(copy - 1) // len(CITIES) + 1}"
    for p in picks:
        stem = STEMS[p // (len(TRADES) * len(FORMS))]
        trade = TRADES[(p // len(FORMS)) % len(TRADES)][0]
        form = FORMS[p % len(FORMS)]
        name = f"{stem} {trade} {form}{suffix}"
        if name not in taken:
            taken.add(name)
            out.append(name)
            if len(out) == n:
                break
    return out


def _trade_segment(name: str) -> int:
    if name in NAMED_SEGMENTS:
        return NAMED_SEGMENTS[name]
    for trade, seg in TRADES:
        if f" {trade} " in f" {name} ":
            return seg
    return -1


def _make_accounts(rng: np.random.Generator, copy: int) -> pd.DataFrame:
    """The accounts of one copy with their story roles and design targets (hidden columns)."""
    rows: list[dict[str, Any]] = []
    for r, prof in enumerate(CAST):
        n_new1, n_new2 = prof.new_accounts
        n = prof.n_existing + n_new1 + n_new2
        pot = np.exp(rng.normal(np.log(110_000), 0.85, n))
        pot = np.clip(np.round(pot / 5000) * 5000, 20_000, 2_000_000)
        new_period = np.array([-1] * prof.n_existing + [1] * n_new1 + [2] * n_new2)
        order = np.argsort(pot[: prof.n_existing], kind="stable")
        kind = np.full(n, KIND_TOP if prof.style == "top" else KIND_ORDINARY)
        story = np.full(n, "", dtype=object)
        if prof.style == "builder":
            story[order[:5]] = "comfort"
            story[order[[-2, -3, -5, -7]]] = "claim_gap"
            kind[order[:5]] = KIND_COMFORT
        if prof.style == "newcomer":
            # the quartiles of his book, ties at the cut included
            existing = pot[: prof.n_existing]
            big = np.flatnonzero(existing >= np.quantile(existing, 0.75))
            small = np.flatnonzero(existing <= np.quantile(existing, 0.25))
            story[big] = "neglected"
            story[small] = "small"
            kind[big] = KIND_NEGLECTED
            pot[order[-1]] = NEGLECTED_TOP_POTENTIAL
        for i in range(n):
            rows.append(
                {
                    "rep": r,
                    "potential": float(pot[i]),
                    "new_period": int(new_period[i]),
                    "story": story[i],
                    "kind": int(kind[i]),
                }
            )
    acc = pd.DataFrame(rows)
    n = len(acc)
    acc["account_id"] = [f"C{copy:03d}{i + 1:04d}" if copy else f"C{10001 + i}" for i in range(n)]

    # names: story accounts get their written names in copy 0, the rest are generated
    names = np.full(n, "", dtype=object)
    if copy == 0:
        for label, pool in (
            ("comfort", COMFORT_NAMES),
            ("claim_gap", CLAIM_GAP_NAMES),
            ("neglected", NEGLECTED_NAMES),
        ):
            idx = acc.index[acc["story"] == label]
            # the biggest neglected account is Rheinstahl: order by potential, largest first
            idx = acc.loc[idx].sort_values("potential", ascending=False, kind="stable").index
            idx = idx[: len(pool)]  # more than written names: the rest get generated ones
            names[idx] = pool[: len(idx)]
        free = acc.index[(names == "") & (acc["new_period"] < 0)]
        spots = rng.choice(free, size=len(OTHER_NAMED), replace=False)
        names[np.sort(spots)] = OTHER_NAMED
    taken = set(names[names != ""]) | {u[2] for u in UNMATCHED}
    blank = names == ""
    names[blank] = _account_names(rng, copy, int(blank.sum()), taken)
    acc["account_name"] = names
    gaps = acc[acc["story"] == "claim_gap"].sort_values("potential", ascending=False, kind="stable")
    acc["evidence_story"] = ""
    stories = ["white_space", "no_decision_maker", "stalled_deal"]
    acc.loc[gaps.index[:3], "evidence_story"] = stories[: min(3, len(gaps))]

    seg = np.array([_trade_segment(str(x)) for x in names])
    fallback = rng.integers(0, len(SEGMENTS), n)
    seg = np.where(seg < 0, fallback, seg)
    acc["segment_idx"] = seg
    acc["segment"] = [SEGMENTS[s][0] for s in seg]
    acc["region"] = [CAST[r].region for r in acc["rep"]]
    return acc


def _design(rng: np.random.Generator, acc: pd.DataFrame) -> pd.DataFrame:
    """Penetration, growth, hours weights, discounts, ratings and owner dates per account."""
    n = len(acc)
    rep = acc["rep"].to_numpy()
    story = acc["story"].to_numpy()
    pot = acc["potential"].to_numpy()
    newp = acc["new_period"].to_numpy()
    style = np.array([CAST[r].style for r in rep])
    pen_mean = np.array([CAST[r].penetration for r in rep])
    g_sd = np.array([CAST[r].growth_sd for r in rep])
    g1 = np.array([CAST[r].growth[0] for r in rep]) + rng.normal(0, 1, n) * g_sd
    g2 = np.array([CAST[r].growth[1] for r in rep]) + rng.normal(0, 1, n) * g_sd
    pen = np.clip(rng.normal(pen_mean, 0.12), 0.08, 0.92)

    comfort, gap, neglected, small = (
        story == s for s in ("comfort", "claim_gap", "neglected", "small")
    )
    # the builder's comfortable accounts buy most of their small wallet but do not grow;
    # his big "Excellent" accounts buy a fifth to a third of theirs and shrink a little
    top_rep = rep == TOP  # the top performer's accounts buy a good share of their wallet
    pen[top_rep] = np.maximum(pen[top_rep], rng.uniform(0.36, 0.46, top_rep.sum()))
    pen[comfort] = rng.uniform(0.66, 0.84, comfort.sum())
    g1[comfort] = rng.uniform(-0.04, 0.0, comfort.sum())
    g2[comfort] = rng.uniform(-0.04, 0.0, comfort.sum())
    pen[gap] = rng.uniform(0.18, 0.32, gap.sum())
    g1[gap] = rng.uniform(-0.05, -0.01, gap.sum())
    g2[gap] = rng.uniform(-0.05, -0.01, gap.sum())
    pen[neglected] = rng.uniform(0.10, 0.24, neglected.sum())
    # new accounts: a first-year share of wallet, prorated from the first order
    new = newp >= 0
    pen[new] = rng.uniform(0.12, 0.30, new.sum())

    rev = np.zeros((n, 3))
    rev[:, 2] = pot * pen
    rev[:, 1] = rev[:, 2] / (1 + g2)
    rev[:, 0] = rev[:, 1] / (1 + g1)
    first_order = np.full(n, _day(START))
    for p in (1, 2):
        m = newp == p
        rev[m, :p] = 0.0
        start, end = _day(PERIOD_STARTS[p]), _day(PERIOD_ENDS[p])
        first_order[m] = rng.integers(start + 20, end - 60, m.sum())
        if p == 1:  # won last year: full year now, growing into the account
            rev[m, 2] = pot[m] * pen[m]
            rev[m, 1] = rev[m, 2] * 0.6 * (end - first_order[m]) / 365
        else:
            rev[m, 2] = pot[m] * pen[m] * (end - first_order[m]) / 365

    # allocation: hours weight = potential x a ratio; the story accounts are set apart
    ratio_sd = np.array([CAST[r].ratio_sd for r in rep])
    ratio = np.exp(rng.normal(0, 1, n) * ratio_sd)
    ratio[gap] = rng.uniform(1.8, 2.4, gap.sum())
    ratio[neglected] = rng.uniform(0.08, 0.25, neglected.sum())
    ratio[small] = rng.uniform(3.0, 5.0, small.sum())
    top_rep = rep == TOP  # the top performer gives small accounts a little less than their share
    top_small = top_rep & (pot <= np.quantile(pot[top_rep], 0.25))
    ratio[top_small] *= 0.8
    ratio[top_rep] = np.clip(ratio[top_rep], 0.7, 1.15)
    weight = pot * ratio
    builder = rep == BUILDER
    # the comfort accounts take 35 % of the builder's hours between them
    others = weight[builder & ~comfort].sum()
    share = rng.dirichlet(np.full(comfort.sum(), 8.0))
    weight[comfort] = others * (0.35 / 0.65) * share

    # discounts: segment level + account offset; the builder's discounts creep up
    seg_disc = np.array([SEGMENTS[s][1] for s in acc["segment_idx"]])
    base = np.clip(seg_disc + rng.normal(0, 0.02, n), 0.02, 0.30)
    drift = np.zeros(n)
    drift[builder] = rng.uniform(0.008, 0.012, builder.sum())
    story_creep = comfort | gap
    base[story_creep] = seg_disc[story_creep] + rng.uniform(-0.01, 0.01, story_creep.sum())
    drift[story_creep] = rng.uniform(0.022, 0.030, story_creep.sum())
    top = style == "top"
    base[top] = np.clip(seg_disc[top] - 0.01 + rng.normal(0, 0.01, top.sum()), 0.02, 0.3)
    ordinary = style == "ordinary"
    # a little noise: one ordinary account in twenty lets discounts slide
    slide = ordinary & (rng.random(n) < 0.05)
    drift[slide] = rng.uniform(0.012, 0.02, slide.sum())

    rating = _ratings(rng, style, story, pen)
    owner_since = _owner_since(rng, rep, style, first_order, newp)

    out = acc.copy()
    out["rev0"], out["rev1"], out["rev2"] = rev[:, 0], rev[:, 1], rev[:, 2]
    out["weight"] = weight
    out["disc_base"], out["disc_drift"] = base, drift
    out["relationship_rating"] = rating
    out["owner_since_day"] = owner_since
    out["first_order_day"] = first_order
    share_of_revenue = rng.uniform(0.006, 0.02, n)  # industrial MRO spend: 0.6-2 % of revenue
    out["company_revenue"] = np.round(pot / share_of_revenue / 100_000) * 100_000
    out["employees"] = np.maximum(
        5, np.round(out["company_revenue"] / rng.uniform(150e3, 260e3, n))
    )
    return out


def _ratings(
    rng: np.random.Generator, style: np.ndarray, story: np.ndarray, pen: np.ndarray
) -> np.ndarray:
    n = len(style)
    # ordinary reps: the claim loosely follows what the account buys
    score = 3 + (pen - 0.45) * 5 + rng.normal(0, 0.8, n)
    rating = np.clip(np.round(score), 1, 5).astype(int)
    top = style == "top"  # the top performer rates soberly
    rating[top] = np.clip(np.round(3 + (pen[top] - 0.45) * 6 + rng.normal(0, 0.4, top.sum())), 2, 5)
    builder = style == "builder"  # every relationship is great
    rating[builder] = rng.choice([5, 4, 3], size=builder.sum(), p=[0.35, 0.40, 0.25])
    rating[(story == "comfort") | (story == "claim_gap")] = 5
    newcomer = style == "newcomer"  # too new to claim much
    rating[newcomer] = rng.choice([4, 3, 2], size=newcomer.sum(), p=[0.2, 0.6, 0.2])
    return rating


def _owner_since(
    rng: np.random.Generator,
    rep: np.ndarray,
    style: np.ndarray,
    first_order: np.ndarray,
    newp: np.ndarray,
) -> np.ndarray:
    n = len(rep)
    day = rng.integers(_day(date(2015, 1, 1)), _day(date(2023, 6, 30)), n)
    builder = style == "builder"  # his accounts for 8+ years
    day[builder] = rng.integers(_day(date(2011, 1, 1)), _day(date(2018, 6, 30)), builder.sum())
    top = style == "top"
    day[top] = rng.integers(_day(date(2016, 1, 1)), _day(date(2022, 6, 30)), top.sum())
    newcomer = style == "newcomer"  # handed over when he joined in October 2025
    day[newcomer] = rng.integers(_day(date(2025, 10, 6)), _day(date(2026, 1, 30)), newcomer.sum())
    new = newp >= 0  # created in the CRM when prospecting began
    day[new] = first_order[new] - rng.integers(45, 120, new.sum())
    return day


def _weekday(days: np.ndarray) -> np.ndarray:
    """Move Saturdays back to Friday and Sundays on to Monday (1970-01-01 was a Thursday)."""
    dow = (days + 3) % 7  # 0 = Monday
    return days - (dow == 5) + (dow == 6)


def _workday(days: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A weekday within [lo, hi] near each day: a weekend at an edge moves inwards."""
    d = np.clip(_weekday(days), lo, hi)
    dow = (d + 3) % 7
    forward = np.where(dow == 5, 2, np.where(dow == 6, 1, 0))
    backward = np.where(dow == 5, 1, np.where(dow == 6, 2, 0))
    d = np.where(d + forward <= hi, d + forward, d - backward)
    return np.clip(d, lo, hi)  # a range that is only a weekend keeps its weekend day


def _make_activities(rng: np.random.Generator, acc: pd.DataFrame, copy: int) -> pd.DataFrame:
    """Activities per account and period, hours set by the design weights."""
    n = len(acc)
    rep = acc["rep"].to_numpy()
    weight = acc["weight"].to_numpy()
    kind = acc["kind"].to_numpy()
    newcomer_acc = rep == NEWCOMER
    own_day = acc["owner_since_day"].to_numpy()
    pot = acc["potential"].to_numpy()

    seg_rep: list[np.ndarray] = []
    seg_acc: list[np.ndarray] = []
    seg_hours: list[np.ndarray] = []
    seg_lo: list[np.ndarray] = []
    seg_hi: list[np.ndarray] = []
    seg_kind: list[np.ndarray] = []
    # predecessor of each newcomer account: the South colleagues in turn
    pred = np.array(NEWCOMER_PREDECESSORS)[np.cumsum(newcomer_acc) % len(NEWCOMER_PREDECESSORS)]
    # hours per euro of potential of an ordinary South rep, for the predecessors' time
    south_rate = (
        np.mean([CAST[i].hours for i in NEWCOMER_PREDECESSORS])
        / pot[np.isin(rep, NEWCOMER_PREDECESSORS)].sum()
    )

    for p in range(3):
        p_lo, p_hi = _day(PERIOD_STARTS[p]), _day(PERIOD_ENDS[p])
        lo = np.maximum(p_lo, np.where(acc["new_period"].to_numpy() >= 0, own_day, p_lo))
        hi = np.full(n, p_hi)
        active = np.clip((hi - lo + 1) / (p_hi - p_lo + 1), 0, 1)
        # winning a new account takes a full share of time in the months it is worked on
        active = np.where((acc["new_period"].to_numpy() >= 0) & (active > 0), 1.0, active)
        # the newcomer works only from the day he took each account over
        lo_new = np.where(newcomer_acc, np.maximum(lo, own_day), lo)
        active_new = np.clip((hi - lo_new + 1) / (p_hi - p_lo + 1), 0, 1)
        for r, prof in enumerate(CAST):
            m = rep == r
            eff = weight[m] * (active_new[m] if r == NEWCOMER else active[m])
            total = prof.hours * (0.0 if (r == NEWCOMER and p < 2) else 1.0)
            if r == NEWCOMER and p == 2:
                total = prof.hours * 0.85  # joined in October, ramping up
            hours = total * eff / eff.sum() if eff.sum() > 0 else np.zeros(m.sum())
            idx = np.flatnonzero(m)
            seg_rep.append(np.full(len(idx), r))
            seg_acc.append(idx)
            seg_hours.append(hours)
            seg_lo.append(lo_new[idx])
            seg_hi.append(hi[idx])
            seg_kind.append(kind[idx])
        # the predecessors' time on the newcomer's accounts before the handover
        idx = np.flatnonzero(newcomer_acc)
        pre_hi = np.minimum(p_hi, own_day[idx] - 1)
        frac = np.clip((pre_hi - lo[idx] + 1) / (p_hi - p_lo + 1), 0, 1)
        keep = frac > 0
        idx = idx[keep]
        noise = np.exp(rng.normal(0, 0.35, len(idx)))
        seg_rep.append(pred[np.flatnonzero(newcomer_acc)][keep])
        seg_acc.append(idx)
        seg_hours.append(pot[idx] * south_rate * noise * frac[keep])
        seg_lo.append(lo[idx])
        seg_hi.append(pre_hi[keep])
        seg_kind.append(np.full(len(idx), KIND_ORDINARY))

    s_rep = np.concatenate(seg_rep)
    s_acc = np.concatenate(seg_acc)
    s_hours = np.concatenate(seg_hours)
    s_lo = np.concatenate(seg_lo)
    s_hi = np.concatenate(seg_hi)
    s_kind = np.concatenate(seg_kind)
    comfort_kind = (s_kind == KIND_COMFORT).astype(int)
    mean_h = (TYPE_MIX[s_kind] * (MEAN_MINUTES[comfort_kind] + MEAN_TRAVEL[comfort_kind])).sum(
        1
    ) / 60
    # the top performer plans her calls: her hours track the plan without Poisson scatter
    count = np.where(s_kind == KIND_TOP, np.round(s_hours / mean_h), rng.poisson(s_hours / mean_h))
    count = count.astype(np.int64)

    a_seg = np.repeat(np.arange(len(count)), count)
    total = len(a_seg)
    k = s_kind[a_seg]
    comfort = comfort_kind[a_seg]
    # systematic sampling of the type mix within each account-period: the mix (and so the
    # hours) comes out as planned, while which visit falls on which day stays random
    j = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    u = (j + rng.random(len(count))[a_seg]) / np.maximum(count, 1)[a_seg]
    atype = (u[:, None] > np.cumsum(TYPE_MIX[k], axis=1)[:, :-1]).sum(1)
    u = rng.random(total)
    role = (u[:, None] > np.cumsum(ROLE_MIX[k], axis=1)[:, :-1]).sum(1)
    span = s_hi[a_seg] - s_lo[a_seg] + 1
    day = s_lo[a_seg] + (rng.random(total) * span).astype(np.int64)
    day = _workday(day, s_lo[a_seg], s_hi[a_seg])

    mean_min = MEAN_MINUTES[comfort, atype]
    minutes = np.where(
        atype == 3,
        np.where(rng.random(total) < 0.8, 5.0, 10.0),
        np.maximum(5.0, np.round(rng.normal(mean_min, mean_min * 0.3) / 5) * 5),
    )
    # travel: every visit; a meeting on site three times in ten (the rest are online)
    on_site = (atype == 0) | ((atype == 1) & (rng.random(total) < 0.3))
    trip = np.where(atype == 0, MEAN_TRAVEL[comfort, 0], ON_SITE_MEETING_TRAVEL)
    travel = np.where(on_site, np.maximum(10.0, np.round(rng.normal(trip, 12) / 5) * 5), 0.0)
    blank = rng.random(total) < BLANK_DURATION[atype]
    role_blank = (atype == 3) & (rng.random(total) < 0.2)
    quiet = (acc["evidence_story"].to_numpy()[s_acc[a_seg]] == "no_decision_maker") & (
        day > _day(NO_DECISION_MAKER_SINCE)
    )
    role = np.where(
        quiet & (role == ROLES.index("Decision maker")), ROLES.index("Influencer"), role
    )

    order = np.lexsort((s_acc[a_seg], s_rep[a_seg], day))
    frame = pd.DataFrame(
        {
            "day": day[order],
            "rep": s_rep[a_seg][order],
            "acc": s_acc[a_seg][order],
            "atype": atype[order],
            # a blank duration loads as the per-type default, marked estimated (docs/ingest.md)
            "minutes": np.where(blank, DEFAULT_MINUTES[atype], minutes)[order],
            "blank": blank[order],
            "travel": travel[order],
            "role": np.where(role_blank, -1, role)[order],
        }
    )
    return _activities_frame(frame, acc, copy)


def _activities_frame(f: pd.DataFrame, acc: pd.DataFrame, copy: int) -> pd.DataFrame:
    total = len(f)
    ids = pd.Series(np.arange(1, total + 1)).map(lambda i: f"00T{copy:03d}{i:09d}")
    rep_ids = np.array(_rep_ids(copy))
    names = np.array(_rep_names(copy)[:8], dtype=object)
    roles = np.array((*ROLES, None), dtype=object)
    return pd.DataFrame(
        {
            "row_key": None,  # the activity id is the key (schema.sql)
            "activity_id": ids.to_numpy(),
            "activity_date": _dates(f["day"].to_numpy()),
            "rep_id": rep_ids[f["rep"].to_numpy()],
            "account_id": acc["account_id"].to_numpy()[f["acc"].to_numpy()],
            "activity_type": np.array(ACTIVITY_TYPES, dtype=object)[f["atype"].to_numpy()],
            "duration_minutes": f["minutes"].to_numpy(),
            "duration_estimated": f["blank"].to_numpy(),
            "travel_minutes": f["travel"].to_numpy(),
            "contact_role": roles[f["role"].to_numpy()],
            "source_file": "activities.csv",
            "rep_name": names[f["rep"].to_numpy()],
            "account_name": acc["account_name"].to_numpy()[f["acc"].to_numpy()],
        }
    )


def _rep_ids(copy: int) -> list[str]:
    return [f"R{copy * len(CAST) + i + 1:02d}" for i in range(len(CAST))]


def _dates(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[s]")


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


def _make_orders(rng: np.random.Generator, acc: pd.DataFrame, copy: int) -> pd.DataFrame:
    """Invoice lines: each account-period's revenue hits its design target exactly."""
    n = len(acc)
    rev = acc[["rev0", "rev1", "rev2"]].to_numpy()
    first = acc["first_order_day"].to_numpy()
    ap_acc = np.repeat(np.arange(n), 3)
    ap_per = np.tile(np.arange(3), n)
    ap_rev = rev.reshape(-1)
    p_lo = np.array([_day(d) for d in PERIOD_STARTS])[ap_per]
    p_hi = np.array([_day(d) for d in PERIOD_ENDS])[ap_per]
    lo = np.maximum(p_lo, first[ap_acc])
    # even a small customer orders every couple of months; bigger ones more often
    n_inv = np.where(ap_rev > 0, np.maximum(1, rng.poisson(5 + ap_rev / 3300)), 0)

    inv_ap = np.repeat(np.arange(len(n_inv)), n_inv)
    span = p_hi[inv_ap] - lo[inv_ap] + 1
    inv_day = lo[inv_ap] + (rng.random(len(inv_ap)) * span).astype(np.int64)
    inv_day = _workday(inv_day, lo[inv_ap], p_hi[inv_ap])
    lines_per = 1 + rng.poisson(1.5, len(inv_ap))
    line_inv = np.repeat(np.arange(len(inv_ap)), lines_per)
    line_no = np.arange(len(line_inv)) - np.repeat(np.cumsum(lines_per) - lines_per, lines_per) + 1
    line_ap = inv_ap[line_inv]
    line_day = inv_day[line_inv]

    w = np.exp(rng.normal(0, 0.9, len(line_inv)))
    w_sum = np.bincount(line_ap, weights=w, minlength=len(ap_rev))
    net_target = ap_rev[line_ap] * w / w_sum[line_ap]

    a = ap_acc[line_ap]
    years = (line_day - _day(START)) / 365.25
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
    cn_day = _weekday(line_day[cn] + rng.integers(10, 40, cn.sum()))
    # a return due after the export date has not happened yet
    issued = cn_day <= _day(AS_OF)
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
            "order_date": _dates(frame["day"].to_numpy()),
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


def _make_deals(rng: np.random.Generator, acc: pd.DataFrame, copy: int) -> pd.DataFrame:
    """Won, lost and open deals per account, owned by whoever owned the account when the deal
    was engaged; the builder's offer at the stalled-deal account is added as written."""
    rep = acc["rep"].to_numpy()
    pot = acc["potential"].to_numpy()
    new = acc["new_period"].to_numpy() >= 0
    own_day = acc["owner_since_day"].to_numpy()
    newcomer_acc = rep == NEWCOMER
    pred = np.array(NEWCOMER_PREDECESSORS)[np.cumsum(newcomer_acc) % len(NEWCOMER_PREDECESSORS)]
    as_of = _day(AS_OF)
    # a new account's deals start when prospecting does (its owner_since)
    lo = np.where(new, own_day, _day(START))
    per_year = np.minimum(0.6 + pot / 120_000, 4.0)  # bigger accounts ask for more offers
    count = rng.poisson(per_year * (as_of - lo + 1) / 365.25)
    a = np.repeat(np.arange(len(acc)), count)
    engage = _workday(
        lo[a] + (rng.random(len(a)) * (as_of - lo[a] + 1)).astype(np.int64),
        lo[a],
        np.full(len(a), as_of),
    )
    owner = np.where(newcomer_acc[a] & (engage < own_day[a]), pred[a], rep[a])
    style = np.array([CAST[r].style for r in owner], dtype=object)
    median = np.array([DEAL_CYCLE_DAYS[x] for x in style])
    cycle = np.maximum(7, np.round(median * np.exp(rng.normal(0, 0.5, len(a))))).astype(np.int64)
    won = rng.random(len(a)) < np.array([DEAL_WIN_RATE[x] for x in style])
    age = as_of - engage
    # open at as_of only if engaged recently; an older deal closed somewhere in between
    is_open = (engage + cycle > as_of) & (age <= OPEN_DEAL_AGE * median)
    late = (engage + cycle > as_of) & ~is_open
    cycle[late] = np.maximum(1, (rng.uniform(0.5, 1.0, late.sum()) * age[late]).astype(np.int64))
    close = engage + cycle
    close = np.where(is_open, _weekday(close), _workday(close, engage + 1, np.full(len(a), as_of)))
    value = np.maximum(2000.0, np.round(pot[a] * rng.uniform(0.03, 0.12, len(a)) / 500) * 500)
    stage_no = np.minimum(
        (age / np.maximum(cycle, 1) * len(OPEN_STAGES)).astype(int), len(OPEN_STAGES) - 1
    )

    # the builder's offer, open since February (the close date he expected: end of March)
    st = np.flatnonzero(acc["evidence_story"].to_numpy() == "stalled_deal")
    a = np.r_[a, st]
    engage = np.r_[engage, np.full(len(st), _day(STALLED_DEAL_SINCE))]
    owner = np.r_[owner, rep[st]]
    close = np.r_[close, np.full(len(st), _day(STALLED_DEAL_SINCE) + 56)]
    value = np.r_[value, np.round(pot[st] * STALLED_DEAL_SHARE / 500) * 500]
    won = np.r_[won, np.zeros(len(st), bool)]
    is_open = np.r_[is_open, np.ones(len(st), bool)]
    stage_no = np.r_[stage_no, np.full(len(st), 3)]  # Proposal/Price Quote

    stage = np.where(is_open, "open", np.where(won, "won", "lost"))
    stage_raw = np.where(
        is_open,
        np.array([x for x, _ in OPEN_STAGES], dtype=object)[stage_no],
        np.where(won, "Closed Won", "Closed Lost"),
    )
    probability = np.where(
        is_open, np.array([p for _, p in OPEN_STAGES])[stage_no], np.where(won, 100, 0)
    )
    groups = np.array([g for g, _, _ in PRODUCT_GROUPS], dtype=object)
    group = rng.integers(0, len(groups), len(a))
    white = acc["evidence_story"].to_numpy()[a] == "white_space"  # Hansa buys no hydraulics
    group = np.where(white & (groups[group] == WHITE_SPACE_CATEGORY), 0, group)
    subject = np.array(DEAL_SUBJECTS, dtype=object)[rng.integers(0, len(DEAL_SUBJECTS), len(a))]
    order = np.lexsort((a, engage))
    ids = [f"006{copy:03d}{i:09d}" for i in range(1, len(a) + 1)]
    names = acc["account_name"].to_numpy()[a][order]
    first_deal = new[a] & (engage < acc["first_order_day"].to_numpy()[a])
    rep_ids = np.array(_rep_ids(copy))
    return pd.DataFrame(
        {
            "row_key": [f"id:{i}" for i in ids],  # the deal id is the key (schema.sql)
            "deal_id": ids,
            "account_id": acc["account_id"].to_numpy()[a][order],
            "rep_id": rep_ids[owner[order]],
            "product": None,
            "stage": stage[order],
            "stage_raw": stage_raw[order],
            "engage_date": _dates(engage[order]),
            "close_date": _dates(close[order]),
            "value": value[order],
            "list_amount": np.nan,
            "source_file": "opportunities.csv",
            "deal_name": [
                f"{n} - {g} {t}"
                for n, g, t in zip(names, groups[group][order], subject[order], strict=True)
            ],
            "account_name": names,
            "rep_name": np.array(_rep_names(copy)[:8], dtype=object)[owner[order]],
            "probability": probability[order],
            "deal_type": np.where(first_deal[order], "New Business", "Existing Business"),
        }
    )


def _won_orders(deals: pd.DataFrame) -> pd.DataFrame:
    """The won deals as ingestion also files them under orders (source 'deals'): revenue only
    at an account no invoice covers, so in the sample, where every account is invoiced, none."""
    won = deals[deals["stage"] == "won"]
    return pd.DataFrame(
        {
            "row_key": won["row_key"],
            "order_id": won["deal_id"],
            "line_no": None,
            "order_date": won["close_date"],
            "account_id": won["account_id"],
            "rep_id": won["rep_id"],
            "net_amount": won["value"],
            "list_amount": np.nan,
            "product": None,
            "product_category": None,
            "quantity": np.nan,
            "currency": None,
            "source": "deals",
            "source_file": won["source_file"],
        }
    ).reset_index(drop=True)


def _make_reps(acc: pd.DataFrame, copy: int) -> pd.DataFrame:
    names = _rep_names(copy)
    managers = {"North": names[8], "South": names[9]}
    suffix = "" if copy == 0 else f" {copy + 1}"
    planned = acc.groupby("rep")["rev2"].sum()
    rows = []
    for i, prof in enumerate(CAST):
        # the quota follows from the planned current revenue and the planned attainment
        quota = round(planned[i] / prof.attainment / 10_000) * 10_000
        rows.append(
            {
                "rep_id": _rep_ids(copy)[i],
                "rep_name": names[i],
                "manager": managers[prof.team],
                "team": prof.team + suffix,
                "region": prof.region,
                "email": _email(names[i]),
                "quota": float(quota),
                "is_implicit": False,
            }
        )
    return pd.DataFrame(rows)


def _chunk(copy: int, seed: int) -> _Chunk:
    rng = np.random.default_rng([seed, copy])
    acc = _design(rng, _make_accounts(rng, copy))
    reps = _make_reps(acc, copy)
    activities = _make_activities(rng, acc, copy)
    orders = _make_orders(rng, acc, copy)
    # the deals draw from a generator of their own: the rows above stay as they were
    deals = _make_deals(np.random.default_rng([seed, copy, 20]), acc, copy)
    rep_ids = np.array(_rep_ids(copy))
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
            "owner_since": _dates(acc["owner_since_day"].to_numpy()),
            "company_revenue": acc["company_revenue"],
            "employees": acc["employees"].astype("int64"),
        }
    )
    return _Chunk(reps, accounts, activities, orders, deals)


def _chunks(scale: int, seed: int) -> Iterator[_Chunk]:
    if not isinstance(scale, int) or not 1 <= scale <= MAX_SCALE:
        raise UserError(f"The sample scale must be a whole number from 1 to {MAX_SCALE}.")
    for copy in range(scale):
        yield _chunk(copy, seed)


def _canonical(chunk: _Chunk) -> dict[str, pd.DataFrame]:
    frames = {
        "reps": chunk.reps,
        "accounts": chunk.accounts,
        "activities": chunk.activities,
        "orders": pd.concat(
            [chunk.orders[CANONICAL_COLUMNS["orders"]], _won_orders(chunk.deals)],
            ignore_index=True,
        ),
        "pipeline": chunk.deals,
    }
    out = {}
    for table, frame in frames.items():
        f = frame[CANONICAL_COLUMNS[table]].copy()
        for col in ("owner_since", "activity_date", "order_date", "engage_date", "close_date"):
            if col in f:
                f[col] = pd.to_datetime(f[col]).dt.date
        out[table] = f
    return out


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def canonical_frames(scale: int = 1, seed: int = 7) -> dict[str, pd.DataFrame]:
    """The sample as canonical tables (``reps``, ``accounts``, ``activities``, ``orders``).

    Activities naming an account that is not in the accounts export exist only in the
    export (ingestion keeps them aside as unmatched), so they are not here.
    """
    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in CANONICAL_COLUMNS}
    for chunk in _chunks(scale, seed):
        for table, frame in _canonical(chunk).items():
            parts[table].append(frame)
    return {t: pd.concat(fs, ignore_index=True) for t, fs in parts.items()}


def load_canonical(ws: Workspace, scale: int = 1, seed: int = 7) -> None:
    """Insert the sample straight into the workspace tables, one copy at a time.

    The fast path for metric tests and benchmarks: no parsing. Rows are keyed by their ids
    as ingestion keys them, so loading the exports afterwards adds nothing twice.
    """
    with ws.transaction() as con:
        ws.bump_data_version()
        for chunk in _chunks(scale, seed):
            for table, frame in _canonical(chunk).items():
                arrow = pa.Table.from_pandas(frame, preserve_index=False)
                con.register("__sample_chunk", arrow)
                cols = ", ".join(quote_ident(c) for c in CANONICAL_COLUMNS[table])
                con.execute(
                    f"insert into {quote_ident(table)} ({cols}) select {cols} from __sample_chunk"  # noqa: S608
                )
                con.unregister("__sample_chunk")


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
        for copy, chunk in enumerate(_chunks(scale, seed)):
            w.users(chunk.reps)
            w.accounts(chunk.accounts, chunk.reps)
            extra = _unmatched_rows(chunk) if copy == 0 else None
            w.activities(chunk.activities, extra)
            w.invoice_lines(chunk.orders)
            w.opportunities(chunk.deals)
    return paths


def _unmatched_rows(chunk: _Chunk) -> pd.DataFrame:
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


def cli_sample(args: argparse.Namespace) -> int:
    """``reltruth sample --out DIR [--scale N] [--seed S]`` or ``--load [--if-empty] [--scale N]``."""
    if args.load:
        from reltruth.workspace import Workspace

        with Workspace.open(args.workspace) as ws:
            if args.if_empty and not ws.is_empty():
                print("The workspace already holds data; the sample was not loaded.")
                return 0
            report = load_sample(ws, scale=args.scale, seed=args.seed)
            for f in report.files:
                print(
                    f"{f.file}: {f.rows_loaded:,} rows loaded into {f.table}"
                    + (f", {f.rows_duplicate:,} already there" if f.rows_duplicate else "")
                    + (f", {f.rows_rejected:,} rejected" if f.rows_rejected else "")
                )
                if f.unmatched_accounts:
                    print(f"  kept aside, account not found: {', '.join(f.unmatched_accounts)}")
        return 0
    if args.out is None:
        raise UserError("Say where to write the sample (--out DIR) or load it (--load).")
    for path in write_sample(args.out, scale=args.scale, seed=args.seed):
        print(f"{path}: {path.stat().st_size / 1e6:,.1f} MB")
    return 0
