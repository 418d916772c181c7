"""An anonymised copy of a workspace, for projecting real data in a workshop.

Why a module of its own, and why a copy: every page, chart, download and sheet reads the
workspace, so anonymising the workspace itself (one in-memory copy, made once per data
version) is the one layer where nothing can be forgotten; the real workspace is never
written to. In the copy:

- reps, managers, teams and accounts get plausible aliases (same real name -> same alias,
  within the copy and across every table); ids are replaced too, since ids made from names
  would show them in file names;
- file names and the raw rows kept aside are dropped, commitment texts have every real
  name replaced by its alias;
- money (potentials, company revenue, quotas, order and deal amounts, list prices) can be
  multiplied by one undisclosed factor, which keeps every ratio (penetration, growth,
  discount, attainment) and so every story, and can be rounded.

Aliases are a function of the data alone (a hash of its names chooses them), so they are
the same on every rerun and in every session on the same data, and differ between data
sets. See ``docs/workshop.md``.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from reltruth import sql
from reltruth.sql import compose
from reltruth.workspace import Workspace, name_key

FIRST = (
    "Aino", "Alva", "Anders", "Astrid", "Bodil", "Brita", "Calum", "Cora", "Dagny", "Edda",
    "Eino", "Elin", "Emrys", "Esme", "Finn", "Freya", "Gunnar", "Hedda", "Idris", "Ilse",
    "Ingrid", "Iver", "Jarl", "Kaisa", "Kelda", "Lars", "Liv", "Magnus", "Maren", "Mikkel",
    "Nell", "Nils", "Odin", "Olea", "Orla", "Pia", "Rasmus", "Ronja", "Rowan", "Saga",
    "Selma", "Sigrid", "Sten", "Tarja", "Tindra", "Tove", "Ulla", "Una", "Vidar", "Wren",
)  # fmt: skip
LAST = (
    "Aalto", "Ahlberg", "Birchall", "Blomqvist", "Carrick", "Dahlgren", "Eklund", "Fairley",
    "Falk-Hansen", "Gallagher", "Halvorsen", "Hargreaves", "Holmberg", "Ibsen", "Jansson",
    "Karvonen", "Kinnear", "Laine", "Lindahl", "Lundqvist", "MacLeod", "Mattila", "Nyberg",
    "Oakes", "Pennant", "Quayle", "Rantanen", "Rydberg", "Salo", "Sandvik", "Strand",
    "Thorsen", "Tremaine", "Uddin", "Vesterlund", "Wetherby", "Wikström", "Ylönen",
    "Aldous", "Brennan",
)  # fmt: skip
TEAMS = (
    "Harbour", "Summit", "Meridian", "Lighthouse", "Compass", "Granite", "Cedar", "Falcon",
    "Aurora", "Keystone", "Horizon", "Beacon", "Juniper", "Quarry", "Delta", "Tundra",
    "Fjord", "Sierra", "Orchard", "Pioneer",
)  # fmt: skip
STEMS = (
    "Larchwood", "Brightwater", "Ashcombe", "Bramley", "Coldharbour", "Dunmore", "Elmstead",
    "Fernhill", "Glenrock", "Hollins", "Ironbridge", "Kestrel", "Lakeside", "Millbrook",
    "Northgate", "Oakridge", "Pinecrest", "Redcliff", "Stonebridge", "Thornbury", "Upwood",
    "Westmere", "Yarrow", "Alderney", "Birchfield", "Carnforth", "Driftwood", "Eastleigh",
    "Foxglove", "Greystone", "Hawthorn", "Kingsmere", "Linden", "Moorland", "Nettlebed",
    "Otterburn", "Pemberton", "Rowanoak", "Saltmarsh", "Tidewater",
)  # fmt: skip
TRADES = (
    "Components", "Fluid Systems", "Precision", "Engineering", "Foods", "Packaging",
    "Controls", "Metals", "Plastics", "Logistics", "Instruments", "Motion", "Pharma",
    "Coatings", "Fabrication", "Tooling", "Castings", "Process Systems", "Drives", "Labs",
)  # fmt: skip
FORMS = ("Ltd", "Oy", "AB", "AS", "Inc.", "plc", "ApS", "BV")

# The factor money is multiplied by: far enough from 1 that no real amount can be read off.
FACTORS = (0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 1.25, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8)

# Money columns by table; quota and potential are "plan" figures people know by heart.
MONEY = {
    "reps": ("quota",),
    "accounts": ("potential", "company_revenue"),
    "orders": ("net_amount", "list_amount"),
    "pipeline": ("value", "list_amount"),
    "price_list": ("list_price",),
}
PLAN_MONEY = {"reps": ("quota",), "accounts": ("potential", "company_revenue")}
REP_ID_COLUMNS = {"activities": "rep_id", "orders": "rep_id", "pipeline": "rep_id"}
ACCOUNT_ID_COLUMNS = {"activities": "account_id", "orders": "account_id", "pipeline": "account_id"}
COPIED = ("settings", "price_list")
DROPPED_TEXT = "anonymised"


@dataclass(frozen=True)
class Options:
    scale_money: bool = True
    round_money: bool = False  # plan figures to 2 significant digits, amounts to whole units


@dataclass
class Aliases:
    """Real -> alias, by kind. ``factor`` is 1.0 when money is not scaled."""

    people: dict[str, str] = field(default_factory=dict)  # name_key(real name) -> alias
    teams: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)  # name_key(real name) -> alias
    rep_ids: dict[str, str] = field(default_factory=dict)
    account_ids: dict[str, str] = field(default_factory=dict)
    real_names: dict[str, str] = field(default_factory=dict)  # real name as written -> alias
    factor: float = 1.0


def _digest(*parts: str) -> int:
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big")


def person(i: int) -> str:
    first, last = FIRST[i % len(FIRST)], LAST[i // len(FIRST) % len(LAST)]
    extra = i // (len(FIRST) * len(LAST))
    return f"{first} {chr(ord('A') + extra % 26)}. {last}" if extra else f"{first} {last}"


def company(i: int) -> str:
    n = len(STEMS) * len(TRADES)
    stem, trade = STEMS[i % len(STEMS)], TRADES[i // len(STEMS) % len(TRADES)]
    form = FORMS[(i // n) % len(FORMS)]
    extra = i // (n * len(FORMS))
    return f"{stem} {trade} {form}" + (f" {extra + 1}" if extra else "")


def team(i: int) -> str:
    extra = i // len(TEAMS)
    return TEAMS[i % len(TEAMS)] + (f" {extra + 1}" if extra else "")


def _assign(
    keys: Iterable[str],
    make: Callable[[int], str],
    space: int,
    salt: str,
    kind: str,
    avoid: set[str],
) -> dict[str, str]:
    """Each key an alias from ``make(i)``, ``i`` chosen by the key's hash among ``space``
    (the pool's plain names; probing on collision goes on into its numbered variants),
    never one that is (as a name key) any real name of the data."""
    keys = sorted(set(keys), key=lambda k: (_digest(salt, kind, k), k))
    taken: set[str] = set()
    out: dict[str, str] = {}
    for key in keys:
        i = _digest(salt, kind, key) % space
        while True:
            alias = make(i)
            if alias not in taken and name_key(alias) not in avoid:
                break
            i += 1
        taken.add(alias)
        out[key] = alias
    return out


def _distinct(ws: Workspace, query: str) -> list[str]:
    return [str(r[0]) for r in ws.con.execute(query).fetchall() if r[0] is not None]


def aliases(ws: Workspace, options: Options = Options()) -> Aliases:
    """The aliases of this workspace's data (a function of the data alone)."""
    q = sql.load
    rep_rows = ws.con.execute(q("workshop/anonymise_reps")).fetchall()
    account_rows = ws.con.execute(q("workshop/anonymise_accounts")).fetchall()
    teams = _distinct(ws, q("workshop/anonymise_teams"))
    people = {str(n) for _, n in rep_rows if n} | set(
        _distinct(ws, q("workshop/anonymise_managers"))
    )
    companies = {str(n) for _, n in account_rows if n}
    unmatched = ws.con.execute(q("workshop/anonymise_unmatched_names")).fetchall()
    people |= {str(r) for _, r in unmatched if r}
    companies |= {str(a) for a, _ in unmatched if a}
    avoid = {k for k in (name_key(n) for n in people | companies | set(teams)) if k}
    salt = hashlib.sha256(
        "\x1e".join(sorted(avoid) + sorted(r for r, _ in rep_rows)).encode("utf-8")
    ).hexdigest()
    person_keys = {name_key(n) or n for n in people}
    # A rep without a name is known by its id: it gets a person alias all the same.
    person_keys |= {name_key(str(i)) or str(i) for i, n in rep_rows if not n}
    people_map = _assign(person_keys, person, len(FIRST) * len(LAST), salt, "person", avoid)
    company_keys = {name_key(n) or n for n in companies}
    company_keys |= {name_key(str(i)) or str(i) for i, n in account_rows if not n}
    company_space = len(STEMS) * len(TRADES) * len(FORMS)
    company_map = _assign(company_keys, company, company_space, salt, "company", avoid)
    team_keys = {name_key(t) or t for t in teams}
    team_map = _assign(team_keys, team, len(TEAMS), salt, "team", avoid)
    rep_ids = _numbered([str(i) for i, _ in rep_rows], salt, "rep", "R{:03d}")
    account_ids = _numbered([str(i) for i, _ in account_rows], salt, "account", "A{:05d}")
    real: dict[str, str] = {}
    for n in people:
        real[n] = people_map[name_key(n) or n]
    for n in companies:
        real[n] = company_map[name_key(n) or n]
    for t in teams:
        real[t] = team_map[name_key(t) or t]
    factor = FACTORS[_digest(salt, "factor") % len(FACTORS)] if options.scale_money else 1.0
    return Aliases(
        people=people_map,
        teams=team_map,
        accounts=company_map,
        rep_ids=rep_ids,
        account_ids=account_ids,
        real_names=real,
        factor=factor,
    )


def _numbered(ids: list[str], salt: str, kind: str, pattern: str) -> dict[str, str]:
    ordered = sorted(set(ids), key=lambda k: (_digest(salt, kind, k), k))
    return {k: pattern.format(n) for n, k in enumerate(ordered, start=1)}


# --- the copy -------------------------------------------------------------------------------


def _map(column: pa.ChunkedArray, mapping: dict[str, str], *, key: bool = False) -> pa.Array:
    """Each value replaced by its alias (by its name key when ``key``); unknown values are
    not kept (null) rather than shown real."""
    values = column.to_pylist()
    if key:
        return pa.array([None if v is None else mapping.get(name_key(v) or v) for v in values])
    return pa.array([None if v is None else mapping.get(str(v)) for v in values])


def _map_ids(column: pa.ChunkedArray, mapping: dict[str, str]) -> pa.ChunkedArray | pa.Array:
    # Vectorised: fact tables have millions of rows but few distinct ids.
    keys = pa.array(list(mapping), type=pa.string())
    vals = pa.array(list(mapping.values()), type=pa.string())
    idx = pc.index_in(column.cast(pa.string()), value_set=keys)
    return pc.take(vals, idx)


def _set(table: pa.Table, name: str, values: pa.Array | pa.ChunkedArray) -> pa.Table:
    i = table.schema.get_field_index(name)
    if i < 0:
        return table
    return table.set_column(i, table.schema.field(i).with_type(values.type), values)


def _money(table: pa.Table, tname: str, a: Aliases, options: Options) -> pa.Table:
    for col in MONEY.get(tname, ()):
        i = table.schema.get_field_index(col)
        if i < 0:
            continue
        v = pc.multiply(table.column(i).cast(pa.float64()), pa.scalar(a.factor))
        if options.round_money:
            if col in PLAN_MONEY.get(tname, ()):
                v = pa.array([_round_sig(x) for x in v.to_pylist()], type=pa.float64())
            else:
                v = pc.round(v, 0)
        table = table.set_column(i, table.schema.field(i), v)
    return table


def _round_sig(x: float | None, digits: int = 2) -> float | None:
    if x is None or x == 0 or math.isnan(x):
        return x
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))


def _scrub(text: str | None, a: Aliases) -> str | None:
    """Free text (commitments) with every real name replaced by its alias, longest first."""
    if text is None:
        return None
    names = sorted((n for n in a.real_names if len(n) >= 3), key=len, reverse=True)
    if not names:
        return text
    pattern = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
    lookup = {n.lower(): alias for n, alias in a.real_names.items()}
    return pattern.sub(lambda mt: lookup.get(mt.group(0).lower(), "…"), text)


def _table(ws: Workspace, name: str) -> pa.Table:
    query = compose("select * from {name}", name=sql.quote_ident(name))
    return ws.con.sql(query).to_arrow_table()


def _anonymised_tables(ws: Workspace, a: Aliases, options: Options) -> dict[str, pa.Table]:
    out: dict[str, pa.Table] = {}
    reps = _table(ws, "reps")
    ids = reps.column("rep_id").to_pylist()
    names = reps.column("rep_name").to_pylist()
    rep_alias = [a.people[name_key(n or i) or (n or i)] for i, n in zip(ids, names, strict=True)]
    reps = _set(reps, "rep_id", _map_ids(reps.column("rep_id"), a.rep_ids))
    reps = _set(reps, "rep_name", pa.array(rep_alias, type=pa.string()))
    reps = _set(reps, "manager", _map(reps.column("manager"), a.people, key=True))
    reps = _set(reps, "team", _map(reps.column("team"), a.teams, key=True))
    reps = _set(reps, "email", pa.array([_email(n) for n in rep_alias], type=pa.string()))
    out["reps"] = reps

    acc = _table(ws, "accounts")
    ids = acc.column("account_id").to_pylist()
    names = acc.column("account_name").to_pylist()
    acc_alias = [a.accounts[name_key(n or i) or (n or i)] for i, n in zip(ids, names, strict=True)]
    acc = _set(acc, "account_id", _map_ids(acc.column("account_id"), a.account_ids))
    acc = _set(acc, "account_name", pa.array(acc_alias, type=pa.string()))
    acc = _set(acc, "owner_rep_id", _map_ids(acc.column("owner_rep_id"), a.rep_ids))
    out["accounts"] = acc

    for tname in ("activities", "orders", "pipeline"):
        t = _table(ws, tname)
        t = _set(t, REP_ID_COLUMNS[tname], _map_ids(t.column("rep_id"), a.rep_ids))
        t = _set(t, ACCOUNT_ID_COLUMNS[tname], _map_ids(t.column("account_id"), a.account_ids))
        t = _set(t, "source_file", pa.nulls(len(t), pa.string()))
        out[tname] = t
    for tname in COPIED:
        out[tname] = _table(ws, tname)
    out = {k: _money(v, k, a, options) for k, v in out.items()}

    unmatched = _table(ws, "unmatched")
    unmatched = _set(
        unmatched, "account_name", _map(unmatched.column("account_name"), a.accounts, key=True)
    )
    unmatched = _set(unmatched, "rep_name", _map(unmatched.column("rep_name"), a.people, key=True))
    unmatched = _set(unmatched, "source_file", pa.nulls(len(unmatched), pa.string()))
    unmatched = _set(unmatched, "payload", pa.nulls(len(unmatched), pa.string()))
    out["unmatched"] = unmatched

    cm = _table(ws, "commitments")
    cm = _set(cm, "rep_id", _map_ids(cm.column("rep_id"), a.rep_ids))
    cm = _set(cm, "account_id", _map_ids(cm.column("account_id"), a.account_ids))
    cm = _set(
        cm, "text", pa.array([_scrub(x, a) for x in cm.column("text").to_pylist()], pa.string())
    )
    if a.factor != 1.0 and len(cm):
        kinds = cm.column("target_kind").to_pylist()
        values = cm.column("target_value").to_pylist()
        scaled = [
            v * a.factor if k == "revenue" and v is not None else v
            for k, v in zip(kinds, values, strict=True)
        ]
        cm = _set(cm, "target_value", pa.array(scaled, pa.float64()))
    out["commitments"] = cm
    return out


def _email(alias: str) -> str:
    local = re.sub(r"[^a-z]+", ".", alias.lower()).strip(".")
    return f"{local}@example.com"


def anonymised_copy(ws: Workspace, options: Options = Options()) -> tuple[Workspace, Aliases]:
    """A private in-memory workspace holding ``ws``'s data under aliases (``ws`` untouched)."""
    a = aliases(ws, options)
    tables = _anonymised_tables(ws, a, options)
    copy = Workspace.open(memory=True)
    try:
        with copy.transaction() as con:
            for name, table in tables.items():
                con.register("anonymised_source", table)
                try:
                    con.execute(compose("delete from {name}", name=sql.quote_ident(name)))
                    con.execute(
                        compose(
                            "insert into {name} by name select * from anonymised_source",
                            name=sql.quote_ident(name),
                        )
                    )
                finally:
                    con.unregister("anonymised_source")
    except BaseException:
        copy.close()
        raise
    return copy, a
