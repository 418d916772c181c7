"""The anonymised copy: plausible, stable aliases that never repeat a real name; every id
and name replaced consistently; money scaled by one factor so every ratio (and so every
story) stays; free text scrubbed; the real workspace untouched."""

from __future__ import annotations

from datetime import date

import pytest

from reltruth import metrics
from reltruth.coaching import commitments
from reltruth.workshop import anonymise, stories
from reltruth.workspace import Workspace


@pytest.fixture(scope="module")
def ws():
    from reltruth import sample

    ws = Workspace.open(memory=True)
    sample.load_canonical(ws)
    commitments.add(
        ws,
        "R01",
        "Frank Berger visits Hansa Maschinenbau GmbH with Lena Vogt",
        agreed_on=date(2026, 9, 1),
        target_kind="revenue",
        account_id="C10001",
        target_value=100_000.0,
        target_op=">=",
        due_date=date(2026, 12, 31),
    )
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def copy(ws):
    copy, aliases = anonymise.anonymised_copy(ws)
    yield copy, aliases
    copy.close()


def _all(ws: Workspace, query: str) -> list[tuple]:
    return ws.con.execute(query).fetchall()


def test_aliases_are_stable_plausible_and_never_real(ws, copy):
    _, a = copy
    again = anonymise.aliases(ws)
    assert again.real_names == a.real_names and again.rep_ids == a.rep_ids
    real = {
        n for (n,) in _all(ws, "select rep_name from reps union select account_name from accounts")
    }
    assert not real & set(a.real_names.values())
    assert len(set(a.real_names.values())) == len(a.real_names)  # one alias per name
    frank = a.real_names["Frank Berger"]
    first, last = frank.split(" ", 1)
    assert first in anonymise.FIRST and last in anonymise.LAST  # a name, not "Rep 1"
    assert a.factor in anonymise.FACTORS


def test_other_data_gets_other_aliases(ws):
    other = Workspace.open(memory=True)
    try:
        rows = _all(ws, "select rep_id, rep_name from reps")
        other.con.executemany(
            "insert into reps (rep_id, rep_name) values (?, ?)",
            [(i, f"{n} Jr") for i, n in rows],
        )
        assert anonymise.aliases(other).real_names != anonymise.aliases(ws).real_names
    finally:
        other.close()


def test_every_name_and_id_is_replaced_consistently(ws, copy):
    c, a = copy
    assert _all(c, "select count(*) from reps") == _all(ws, "select count(*) from reps")
    names = {n for (n,) in _all(c, "select rep_name from reps")}
    assert names == {a.real_names[n] for (n,) in _all(ws, "select rep_name from reps")}
    managers = {n for (n,) in _all(c, "select manager from reps")}
    assert managers == {a.real_names[n] for (n,) in _all(ws, "select manager from reps")}
    # Every order and activity still finds its account and rep.
    for table in ("orders", "activities"):
        orphans = _all(
            c,
            f"select count(*) from {table} t "
            "where not exists (select 1 from accounts a where a.account_id = t.account_id)",
        )
        assert orphans == [(0,)]
    assert _all(c, "select count(distinct source_file) from activities") == [(0,)]
    (text,) = _all(c, "select text from commitments")[0]
    assert "Frank" not in text and "Hansa" not in text and "Lena" not in text
    assert a.real_names["Hansa Maschinenbau GmbH"] in text


def test_money_is_scaled_by_one_factor_and_the_stories_stay(ws, copy):
    c, a = copy
    real_sum = _all(ws, "select sum(net_amount) from orders")[0][0]
    copy_sum = _all(c, "select sum(net_amount) from orders")[0][0]
    assert copy_sum == pytest.approx(real_sum * a.factor)
    assert _all(c, "select target_value from commitments") == [(100_000.0 * a.factor,)]
    m_real, m_copy = metrics.compute(ws), metrics.compute(c)
    real_reps = m_real.reps.set_index("rep_name")
    for rep in m_copy.reps.itertuples():
        original = real_reps.loc[next(k for k, v in a.real_names.items() if v == rep.rep_name)]
        assert rep.alignment_score == pytest.approx(original["alignment_score"])
        assert rep.weighted_penetration == pytest.approx(original["weighted_penetration"])
        assert rep.tier == original["tier"]
    told = [(s.key, s.rep_name, stories.number_text(s)) for s in stories.tour(m_copy)]
    assert told == [
        (s.key, a.real_names[s.rep_name], stories.number_text(s)) for s in stories.tour(m_real)
    ]


def test_rounding_rounds_plan_figures_to_two_digits(ws):
    c, a = anonymise.anonymised_copy(ws, anonymise.Options(scale_money=True, round_money=True))
    try:
        quotas = [q for (q,) in _all(c, "select quota from reps")]
        assert all(q == float(f"{q:.2g}") for q in quotas)
    finally:
        c.close()


def test_without_scaling_money_is_real(ws):
    c, a = anonymise.anonymised_copy(ws, anonymise.Options(scale_money=False))
    try:
        assert a.factor == 1.0
        assert _all(c, "select sum(quota) from reps") == _all(ws, "select sum(quota) from reps")
    finally:
        c.close()
