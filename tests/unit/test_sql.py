"""reltruth.sql: query files, identifier quoting and the one place SQL text is composed."""

from __future__ import annotations

import duckdb
import pytest

from reltruth.sql import compose, load, quote_ident, quote_idents


def test_load_returns_a_query_whose_first_line_states_its_grain() -> None:
    assert load("marts/account_window").lstrip().startswith("--")


def test_an_identifier_with_quotes_stays_one_identifier() -> None:
    con = duckdb.connect()
    hostile = 'x" from t; drop table t; --'
    con.execute(f"create table t ({quote_ident(hostile)} int)")
    con.execute("insert into t values (1)")
    got = con.execute(compose("select {col} from t", col=quote_ident(hostile))).fetchall()
    assert got == [(1,)]
    assert con.execute("select count(*) from t").fetchall() == [(1,)]


def test_quote_idents_lists_each_name_quoted() -> None:
    assert quote_idents(["a", 'b"c']) == '"a", "b""c"'


def test_compose_fills_every_placeholder_once_given() -> None:
    sql = compose("select {col} from {t} where {col} is not null", col='"c"', t='"t"')
    assert sql == 'select "c" from "t" where "c" is not null'


def test_compose_keeps_doubled_braces_as_literal_braces() -> None:
    assert compose("select {{'a': 1}} as s from {t}", t='"t"') == "select {'a': 1} as s from \"t\""


@pytest.mark.parametrize(
    ("parts", "message"),
    [({}, r"missing parts \['t'\]"), ({"t": "x", "u": "y"}, r"unused parts \['u'\]")],
)
def test_compose_refuses_a_missing_or_unused_part(parts: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compose("select 1 from {t}", **parts)
