"""Writes accounts.xlsx the way Dynamics 365 "Export to Excel" does: three hidden leading
columns "(Do Not Modify) ..." holding the record id, a checksum and the modified time."""

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent

wb = Workbook()
ws = wb.active
ws.title = "Active Accounts"
ws.append(
    [
        "(Do Not Modify) Account",
        "(Do Not Modify) Row Checksum",
        "(Do Not Modify) Modified On",
        "Account Name",
        "Owner",
        "Annual Revenue",
    ]
)
ws.append(["{8A1}", "x1Yz==", dt.datetime(2026, 3, 1, 8, 0), "Acme Corp", "Lena Vogt", 1250000])
ws.append(["{8A2}", "q2Wv==", dt.datetime(2026, 3, 2, 9, 0), "Beta AG", "Frank Berger", 300000])
for col in "ABC":
    ws.column_dimensions[col].hidden = True
wb.save(HERE / "accounts.xlsx")
