"""The sample's calendar, its eight-rep cast, and the accounts that carry its stories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

AS_OF = date(2026, 9, 30)
START = date(2023, 10, 1)
# Three 12-month periods that coincide with the default windows at AS_OF:
# 0 = Oct 2023 - Sep 2024, 1 = the prior window, 2 = the current window.
PERIOD_STARTS = (date(2023, 10, 1), date(2024, 10, 1), date(2025, 10, 1))
PERIOD_ENDS = (date(2024, 9, 30), date(2025, 9, 30), date(2026, 9, 30))
CURRENCY = "EUR"


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
