"""Fixtures of the coaching tests; the row builders live in coaching_helpers.py, a module
with a unique name, so importing them never picks another folder's conftest."""

from coaching_helpers import frank_inputs  # noqa: F401 - re-exported as a fixture
