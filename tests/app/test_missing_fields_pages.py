"""Every page on workspaces where one optional field in turn is entirely missing (owner since,
rating, segment, region, contact role, travel, list values, quotas, teams): no exception,
and the coaching sheet page says what it could not show."""

from __future__ import annotations

import pytest
from apptest_helpers import PAGES, open_page, texts

from reltruth.coaching.templates import templates
from reltruth.workspace import Workspace
from tests.missing_fields import EMPTIED, load_without


@pytest.mark.slow
@pytest.mark.parametrize("field", list(EMPTIED))
def test_every_page_survives_a_missing_field(field, workspace_path, make_app) -> None:
    ws = Workspace.open(workspace_path)
    try:
        load_without(ws, field)
        app = make_app()
        for page in PAGES:
            open_page(app, page, sidebar_rep="R01")
        open_page(app, "pages/coaching_sheet.py", sidebar_rep="R01")
        shown = " ".join(texts(app))
        note = templates()["missing"][field]
        assert note.split(":")[0].replace('"', "") in shown.replace("\\", "").replace('"', "")
    finally:
        ws.close()
