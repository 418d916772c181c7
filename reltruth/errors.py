"""Errors a sales manager can read.

A ``UserError`` carries a one-line message meant for the person at the keyboard (the app
shows it with ``st.error``, the CLI prints it and exits non-zero). Anything else is a bug:
logged server-side, shown as a generic one-liner, never as a traceback.
"""


class UserError(Exception):
    """Bad input or an impossible request, explained in one line."""
