"""Uploaded data of one browser session is never visible to another (docs/app.md ('Sessions and modes')).

Two guards: the code holds no session's data in a cache shared by the server (checked on
the source), and two demo sessions with different uploads never see each other's names on
any page: tables, charts, filter options, downloads and the coaching sheet.
"""

from __future__ import annotations

import ast
import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
STREAMLIT_CACHES = {"cache_data", "cache_resource"}
FUNCTOOLS_CACHES = {"cache", "lru_cache"}
# Parameters that carry a session's data: a process-wide memo on them would share it.
DATA_PARAMS = {"ws", "con", "workspace", "frame", "df", "m", "metrics", "sheet", "report", "raw"}


def _sources() -> Iterator[Path]:
    yield ROOT / "app.py"
    yield from sorted((ROOT / "pages").glob("*.py"))
    yield from sorted((ROOT / "reltruth").rglob("*.py"))


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Name):
        return target.id
    return ""


def _session_scoped(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and any(
        kw.arg == "scope" and isinstance(kw.value, ast.Constant) and kw.value.value == "session"
        for kw in node.keywords
    )


def _shared_caches(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for every cache that could hold one session's data for everyone."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        # st.cache_data / st.cache_resource, used as a decorator or called directly.
        if isinstance(node, ast.Attribute | ast.Name):
            name = node.attr if isinstance(node, ast.Attribute) else node.id
            if name in STREAMLIT_CACHES:
                found.append((node.lineno, name))
        if isinstance(node, ast.ImportFrom) and node.module == "streamlit":
            found += [(node.lineno, a.name) for a in node.names if a.name in STREAMLIT_CACHES]
        if isinstance(node, ast.FunctionDef):
            params = {a.arg for a in [*node.args.args, *node.args.kwonlyargs]}
            for dec in node.decorator_list:
                if _decorator_name(dec) in FUNCTOOLS_CACHES and params & DATA_PARAMS:
                    found.append((dec.lineno, f"{_decorator_name(dec)} on {node.name}()"))
    # A Streamlit cache is fine when every use of it is `...(scope="session")`.
    allowed = {
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _decorator_name(node) in STREAMLIT_CACHES
        and _session_scoped(node)
    }
    return [(line, what) for line, what in found if line not in allowed]


def test_no_session_data_in_a_cache_shared_between_sessions() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _sources()
        for line, what in _shared_caches(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == [], "caches shared by every session:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("@st.cache_data\ndef f(ws): ...", 1),
        ("@st.cache_data(ttl=60)\ndef f(ws): ...", 1),
        ("@st.cache_resource(scope='session')\ndef f(ws): ...", 0),
        ("x = st.cache_data(lambda ws: ws)", 1),
        ("from streamlit import cache_data", 1),
        ("@functools.cache\ndef f(ws): ...", 1),
        ("@cache\ndef template(name): ...", 0),
    ],
)
def test_the_cache_check_catches_what_it_should(source: str, expected: int) -> None:
    assert len(_shared_caches(ast.parse(source))) >= expected
    if expected == 0:
        assert _shared_caches(ast.parse(source)) == []


def _tagged_sample(tag: str) -> list[tuple[str, bytes, str]]:
    """The sample exports with every rep and account name carrying ``tag``."""
    users = (SAMPLE / "users.csv").read_text(encoding="utf-8")
    names = [line.split(",")[1] for line in users.splitlines()[1:]]
    files = []
    for name in ("users.csv", "accounts.csv", "activities.csv", "invoice_lines.csv"):
        text = (SAMPLE / name).read_text(encoding="utf-8")
        for rep in names:
            text = text.replace(rep, f"{rep} {tag}")
        if name in ("accounts.csv", "activities.csv"):
            text = _tag_accounts(text, tag)
        files.append((name, text.encode("utf-8"), "text/csv"))
    return files


def _tag_accounts(text: str, tag: str) -> str:
    # Account names are the second field of accounts.csv and the fourth of activities.csv.
    rows = list(csv.reader(io.StringIO(text)))
    col = 1 if rows[0][0] == "Account ID" else 3
    for row in rows[1:]:
        if len(row) > col:
            row[col] = f"{row[col]} {tag}"
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _everything_shown(at: object) -> bytes:
    """Every byte the session's page sent to its browser: text, tables (Arrow), chart
    specs and data, widget options (downloads are captured by ``_capture_downloads``)."""
    chunks: list[bytes] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString"):
            chunks.append(proto.SerializeToString())
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)  # type: ignore[attr-defined]
    return b"\n".join(chunks)


def _capture_downloads(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The contents of every download offered from now on, deferred ones (made on click,
    like the coaching sheet's PDF) included: they are made right away and recorded."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    captured: list[bytes] = []
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def _bytes(data: object) -> bytes:
        if isinstance(data, str):
            return data.encode("utf-8")
        if hasattr(data, "read"):
            data = data.read()  # type: ignore[union-attr]
            return data.encode("utf-8") if isinstance(data, str) else bytes(data)
        return bytes(data)  # type: ignore[arg-type]

    from reltruth.ui.widgets import ICON

    icon = ICON.read_bytes()

    def recording_add(self, path_or_data, *args, **kwargs):  # type: ignore[no-untyped-def]
        data = _bytes(
            Path(path_or_data).read_bytes() if path_or_data == str(ICON) else path_or_data
        )
        if data != icon:  # the tab icon (app.py's page_icon) is no download
            captured.append(data)
        return add(self, path_or_data, *args, **kwargs)

    def recording_add_deferred(self, data_callable, *args, **kwargs):  # type: ignore[no-untyped-def]
        captured.append(_bytes(data_callable()))
        return add_deferred(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", recording_add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", recording_add_deferred)
    return captured


def _unzipped(blob: bytes) -> bytes:
    """Downloads that are ZIPs (the team's sheets) are searched inside too."""
    if not blob.startswith(b"PK"):
        return blob
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        return b"\n".join(zf.read(n) for n in zf.namelist())


PAGES = [
    "pages/data.py",
    "pages/team.py",
    "pages/time_vs_potential.py",
    "pages/relationship_truth.py",
    "pages/discounts.py",
    "pages/coaching_sheet.py",
]


@pytest.mark.slow
def test_two_demo_sessions_never_see_each_others_data(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from reltruth.ui.session import WS_KEY

    monkeypatch.setenv("RELTRUTH_MODE", "demo")
    monkeypatch.chdir(ROOT)
    downloads = _capture_downloads(monkeypatch)
    sessions = {}
    for tag in ("ALPHAQX", "BRAVOQX"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.run()
        at.file_uploader(key="data_upload").set_value(_tagged_sample(tag))
        at.run()
        assert not at.exception, at.exception
        at.button(key="data_load").click()
        at.run()
        assert not at.exception, at.exception
        ws = at.session_state[WS_KEY]
        assert ws.path is None, "a demo session must not open the workspace file"
        if Path("/dev/shm").is_dir():
            assert ws.staging_dir.parent == Path("/dev/shm"), "demo uploads must stay in RAM"
        sessions[tag] = at
    seen: dict[str, bytes] = {tag: b"" for tag in sessions}
    offered: dict[str, bytes] = {tag: b"" for tag in sessions}
    for page in PAGES:
        for tag, at in sessions.items():
            downloads.clear()
            at.switch_page(page)
            at.run()
            assert not at.exception, (page, at.exception)
            offered[tag] += b"".join(_unzipped(d) for d in downloads)
            seen[tag] += _everything_shown(at)
    for tag in sessions:
        assert tag.encode() in offered[tag], f"session {tag}: its downloads were not captured"
        seen[tag] += offered[tag]
    for tag, other in (("ALPHAQX", "BRAVOQX"), ("BRAVOQX", "ALPHAQX")):
        assert tag.encode() in seen[tag], f"session {tag} does not show its own data"
        assert other.encode() not in seen[tag], f"session {tag} shows the other's data"
