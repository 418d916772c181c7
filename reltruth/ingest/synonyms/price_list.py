"""Header spellings of the price list table's fields as CRMs and ERPs write them, best first."""

from __future__ import annotations

SPELLINGS: dict[str, list[str]] = {
    "product": ["Product", "Product Name", "Item", "Item Name", "Article", "SKU"],
    "list_price": [
        "List Price",
        "sales_price",
        "Sales Price",
        "Price",
        "Unit Price",
        "MSRP",
        "Standard Price",
        "List",
    ],
    "series": ["Series", "Product Group", "Product Family", "Product Line", "Category"],
}

# Spellings found in more exports, appended after SPELLINGS (tables.py), by where they come from.
MORE: dict[str, list[str]] = {
    "product": [
        "No.",
        "Item No.",
        "Product Code",
        "Internal Reference",
        "Artikelnummer",
        "Artikel",
        "Référence",
        "Article",
        "Referencia",
        "Artículo",
        "Product",
        "Description",
    ],
    "list_price": [
        "list_price",
        "Listenpreis",
        "Verkaufspreis",
        "VK-Preis",
        "Preis",
        "Prix de vente",
        "Prix catalogue",
        "Prix",
        "Precio de venta",
        "Precio de lista",
        "Precio",
        "Verkoopprijs",
        "Catalogusprijs",
        "Prijs",
    ],
    "series": ["Item Category Code", "Warengruppe", "Famille", "Familia", "Productgroep"],
}
