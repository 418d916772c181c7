"""Writes report.xlsx: an Excel report with a title and a "generated" line above the header,
a blank row, data starting in column B, real date cells, a number-formatted date serial,
a duration cell and a Salesforce-style footer under the data."""

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent

wb = Workbook()
ws = wb.active
ws.title = "Opportunities"
ws["B1"] = "Opportunity Report"
ws["B2"] = "Generated on 23.11.2026 by Maria Keller"
ws.append([])
ws.append([None, "Opportunity", "Close Date", "Amount", "Serial", "Call Time", "Won"])
ws.append([None, "Big deal", dt.date(2026, 3, 15), 12000.0, 46096, dt.time(1, 30), True])
ws.append([None, "Small deal", dt.datetime(2026, 3, 20, 14, 30), 950.5, 46101, None, False])
ws.append([])
ws.append([None, "Grand Totals (2 records)"])
ws.append([None, "Confidential Information - Do Not Distribute"])
wb.create_sheet("Notes")["A1"] = "nothing here"
wb.save(HERE / "report.xlsx")
