"""Writes the UTF-16 exports (Excel "Unicode Text" style: BOM, tab-delimited, CRLF)."""

from pathlib import Path

HERE = Path(__file__).parent
TEXT = "Account ID\tAccount Name\tAnnual Revenue\r\n001A\tMüller GmbH\t1250000\r\n001B\tŁódź Sp. z o.o.\t300\r\n"

(HERE / "accounts_le.csv").write_bytes(TEXT.encode("utf-16"))  # BOM + little endian
(HERE / "accounts_be.csv").write_bytes(b"\xfe\xff" + TEXT.encode("utf-16-be"))
