"""Two browser sessions on one workspace: what one imports, the other shows on its next rerun.

The metrics cache of a session keys on the workspace's data version (bumped by every import,
undo, estimate or clear in the same transaction), not on a counter of the session's own."""

from __future__ import annotations

import pytest
from apptest_helpers import frame_with, open_page

from reltruth.ui.session import WS_KEY


def _reps_shown(at) -> set[str]:
    return set(frame_with(at, "Rep")["Rep"].astype(str))


@pytest.mark.slow
def test_an_import_in_one_session_shows_in_the_other_on_rerun(
    sample_workspace, make_app, tmp_path
) -> None:
    viewer = open_page(make_app(), "pages/team.py")
    before = _reps_shown(viewer)
    assert "Zora Neumann" not in before

    users = tmp_path / "users.csv"
    users.write_text(
        "User ID,Full Name,Manager,Sales Team,Region,Email,Annual Quota\n"
        "R99,Zora Neumann,Maria Keller,North,North,zora@example.com,1000000\n",
        encoding="utf-8",
    )
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(
        "Account ID,Account Name,Account Owner,Annual Potential,Industry,Billing Region\n"
        "C99999,Neumann Testwerk GmbH,Zora Neumann,250000,Metalworking,North\n",
        encoding="utf-8",
    )
    importer = make_app()
    importer.file_uploader(key="data_upload").set_value(
        [(p.name, p.read_bytes(), "text/csv") for p in (users, accounts)]
    )
    importer.run()
    importer.button(key="data_load").click().run()
    assert not importer.exception, [e.value for e in importer.exception]

    viewer.run()
    assert not viewer.exception, [e.value for e in viewer.exception]
    assert _reps_shown(viewer) == before | {"Zora Neumann"}
    for at in (viewer, importer):  # as a browser session going away: its connection closes
        at.session_state[WS_KEY].close()
