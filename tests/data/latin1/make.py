"""Writes a Latin-1 export (no Windows-only characters; é ü ß are single bytes)."""

from pathlib import Path

HERE = Path(__file__).parent
TEXT = (
    "Account ID,Account Name,Region\n001A,Müller & Söhne,Süd\n001B,Crème Brûlée SA,Île-de-France\n"
)
(HERE / "accounts.csv").write_bytes(TEXT.encode("latin-1"))
