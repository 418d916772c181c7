"""The sheet command, file names and the team ZIP, on the built-in sample."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from reltruth import cli, metrics, sample
from reltruth.coaching import file_name, sheets_zip
from reltruth.coaching.output import slug
from reltruth.workspace import Workspace


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ws") / "workspace.duckdb"
    with Workspace.open(path) as ws:
        sample.load_canonical(ws)
    return path


def test_sheet_all_pdf_writes_one_file_per_rep(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheets"
    code = cli.main(
        ["sheet", "--all", "--format", "pdf", "--workspace", str(sample_path), "--out", str(out)]
    )
    assert code == 0
    files = sorted(p.name for p in out.glob("*.pdf"))
    assert len(files) == 8
    assert "R01-frank-berger-2026-09-30.pdf" in files
    assert all((out / f).read_bytes().startswith(b"%PDF-") for f in files)


def test_sheet_all_zip_on_letter_paper(sample_path: Path, tmp_path: Path) -> None:
    import io
    import zipfile

    from pypdf import PdfReader

    out = tmp_path / "team.zip"
    args = ["sheet", "--all", "--zip", "--format", "pdf", "--paper", "letter"]
    assert cli.main([*args, "--workspace", str(sample_path), "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as zf:
        names = sorted(zf.namelist())
        assert len(names) == 8 and "R01-frank-berger-2026-09-30.pdf" in names
        page = PdfReader(io.BytesIO(zf.read(names[0]))).pages[0]
    # US Letter: 612 × 792 pt (A4 would be 595 × 842)
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


def test_sheet_pdf_is_a4_by_default(sample_path: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "frank.pdf"
    args = ["sheet", "--rep", "R01", "--format", "pdf", "--workspace", str(sample_path)]
    assert cli.main([*args, "--out", str(out)]) == 0
    page = PdfReader(str(out)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_sheet_by_name_to_stdout(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        ["sheet", "--rep", "  jonas WEBER ", "--format", "md", "--workspace", str(sample_path)]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith("# One-on-one coaching sheet: Jonas Weber")


def test_self_audit_html_to_a_file(sample_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "me.html"
    code = cli.main(
        [
            "sheet",
            "--rep",
            "R01",
            "--self-audit",
            "--workspace",
            str(sample_path),
            "--out",
            str(target),
            "--window-months",
            "6",
            "--as-of",
            "2026-06-30",
        ]
    )
    assert code == 0
    html = target.read_text(encoding="utf-8")
    assert "Self-audit: Frank Berger" in html and "6 months to 30 Jun 2026" in html


def test_unknown_rep_is_one_line(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sheet", "--rep", "Nobody", "--workspace", str(sample_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reltruth: No rep 'Nobody'") and err.count("\n") == 1


def test_bad_date_is_one_line(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        cli.main(
            ["sheet", "--rep", "R01", "--as-of", "30.09.2026", "--workspace", str(sample_path)]
        )
        == 2
    )
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_empty_workspace_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sheet", "--all", "--workspace", str(tmp_path / "empty.duckdb")]) == 2
    assert "no data yet" in capsys.readouterr().err


def test_team_zip(sample_path: Path) -> None:
    with Workspace.open(sample_path) as ws:
        m = metrics.compute(ws, metrics.resolve_window(ws))
        north = [str(r) for r in m.reps.loc[m.reps["team"] == "North", "rep_id"]]
        data = sheets_zip(ws, m, north, "md")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) == 4 and all(n.endswith("-2026-09-30.md") for n in names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Frank Berger", "frank-berger"),
        ("Łukasz Żółć", "ukasz-zoc"),
        ("../../etc/passwd", "etc-passwd"),
        ("<script>", "script"),
        ("", "rep"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_file_name_never_leaves_the_folder() -> None:
    from coaching_helpers import inputs

    from reltruth.coaching.build import assemble

    sheet = assemble(inputs(rep={**inputs().rep, "rep_id": "../x", "rep_name": "a/b"}))
    assert file_name(sheet, "pdf") == "x-a-b-2026-09-30.pdf"


def test_sheets_written_by_worker_processes_are_the_same_bytes(
    sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: whole-team PDFs are rendered in worker processes, unchanged; HTML stays in
    the process since its chart is drawn in Python (4 ms a sheet: workers cost more)."""
    from reltruth.coaching import build_sheet, output

    with Workspace.open(sample_path) as ws:
        m = metrics.compute(ws, metrics.resolve_window(ws))
        sheets = [build_sheet(ws, m, str(r)) for r in m.reps["rep_id"].head(3)]
    monkeypatch.setattr(output, "PARALLEL_FROM", 2)
    pools: list[int] = []
    pool = output.ProcessPoolExecutor

    def recorded(jobs: int, **kwargs: object) -> object:
        pools.append(jobs)
        return pool(jobs, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(output, "ProcessPoolExecutor", recorded)
    for name in ("serial", "parallel", "generator", "html"):
        (tmp_path / name).mkdir()
    output.write_all(sheets, "html", tmp_path / "html", jobs=2)
    assert pools == []
    serial = output.write_all(sheets, "pdf", tmp_path / "serial", jobs=1)
    assert pools == []
    parallel = output.write_all(sheets, "pdf", tmp_path / "parallel", jobs=2)
    assert pools == [2]
    assert [p.name for p in parallel] == [p.name for p in serial]
    assert [_unstamped(p) for p in serial] == [_unstamped(p) for p in parallel]
    # sheet --all hands the workers a generator (built while they render): the same files
    built = output.write_all(iter(sheets), "pdf", tmp_path / "generator", count=3, jobs=2)
    assert pools == [2, 2]
    assert [_unstamped(p) for p in serial] == [_unstamped(p) for p in built]


def _unstamped(path: Path) -> bytes:
    """A PDF's bytes without the creation time and file id fpdf2 stamps on every run."""
    return re.sub(
        rb"/CreationDate \(D:[^)]*\)|/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"", path.read_bytes()
    )
