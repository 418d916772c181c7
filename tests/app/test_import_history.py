"""The Data page of a later session lists the earlier imports with their reports: unmatched
account names and the reps no reps export has brought (issue 16, import history)."""

from __future__ import annotations

from apptest_helpers import ROOT, frame_with

from reltruth.ingest import ingest_files

DATA = ROOT / "tests" / "data" / "unmatched_accounts"


def test_a_new_session_lists_past_imports_with_unmatched_names_and_unknown_reps(
    empty_workspace, make_app
):
    # loaded by another session (or the CLI); this session never saw its report
    ingest_files(empty_workspace, [DATA / "activities.csv", DATA / "accounts_first.csv"])
    at = make_app()  # the Data page is the default page
    assert not at.exception
    log = frame_with(at, "Unknown reps")
    by_file = log.set_index("File")
    assert by_file.loc["activities.csv", "Unmatched accounts"] == 3
    # smallest first: the accounts file brings Frank Berger as owner, the activities Lena Vogt
    assert by_file.loc["accounts_first.csv", "Unknown reps"] == 1
    assert by_file.loc["activities.csv", "Unknown reps"] == 1

    pick = at.selectbox(key="data_past_report_choice")
    activities = next(o for o in pick.options if o.startswith("activities.csv"))
    pick.select(activities).run()
    assert not at.exception
    unmatched = frame_with(at, "Account name in the file")
    assert sorted(unmatched["Account name in the file"].str.strip()) == [
        "FABRIKAM",
        "Fabrikam",
        "Tailspin",
    ]
    reps = frame_with(at, "Rep name in the file")
    assert list(reps["Rep name in the file"]) == ["Lena Vogt"]
