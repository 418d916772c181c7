"""Writes a Windows-1252 export (German Excel "CSV (Trennzeichen-getrennt)"): € and curly
quotes are bytes 0x80 and 0x93/0x94, which Latin-1 does not have."""

from pathlib import Path

HERE = Path(__file__).parent
TEXT = (
    "Kunde;Name;Umsatz\r\nK1;Bäckerei “Süß”;1.234,50 €\r\nK2;Société Générale – Paris;99,00 €\r\n"
)
(HERE / "kunden.csv").write_bytes(TEXT.encode("cp1252"))
