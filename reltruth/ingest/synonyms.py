"""Header synonyms: what the columns of real CRM and ERP exports mean in reltruth's terms.

Why a module of its own: recognising an upload is only as good as this list. It is data,
kept in one place so that adding a CRM's spelling is a one-line change with a test, and so
that the Data page can show which fields exist for each table.

Covered: Salesforce (report labels, API names), HubSpot, Dynamics 365 Sales and Business
Central, Pipedrive, Zoho CRM, Odoo, German / French / Spanish / Dutch ERP headers, the
built-in sample exports and the Maven "CRM Sales Opportunities" data set. Headers are parsed
before matching (``parse_header``: entity prefix, unit / currency hints, "No." / "#" / "Nr.")
and matched on word sets with a score (``matches``: exact > all words > part, a guess), so
each column's mapping can say why. Within one field the earlier synonym wins when a file has
several matching columns (e.g. ``Type`` beats ``Subject`` for the activity type).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from reltruth.schema import INPUTS

# Fields a mapping may name that are not columns of the canonical table: they say how a value
# is written (duration units) or help build a row key (line number). ``ignore`` drops a column.
IGNORE = "ignore"

_REP_NAME = ["rep name", "sales rep", "salesperson", "sales person", "sales agent", "rep", "agent"]

# table -> field -> header spellings (raw; normalised on import), best first.
SYNONYMS: dict[str, dict[str, list[str]]] = {
    "reps": {
        "rep_id": [
            "User ID",
            "UserId",
            "Rep ID",
            "Sales Rep ID",
            "Salesperson ID",
            "Agent ID",
            "Sales Agent ID",
            "Employee ID",
            "Owner ID",
            "Salesperson Code",
            "Id",
        ],
        "rep_name": [
            "Full Name",
            *_REP_NAME,
            "Name",
            "User",
            "User Name",
            "Owner",
            "Owner Name",
            "Employee",
            "Employee Name",
        ],
        "manager": [
            "Manager",
            "Sales Manager",
            "Manager Name",
            "Reports To",
            "Team Lead",
            "Team Leader",
        ],
        "team": ["Sales Team", "Team", "Team Name", "Division", "Sales Unit", "Business Unit"],
        "region": ["Region", "Regional Office", "Sales Region", "Territory", "Office", "Area"],
        "email": ["Email", "E-mail", "Email Address", "Primary Email", "Work Email"],
        "quota": [
            "Annual Quota",
            "Quota",
            "Sales Quota",
            "Annual Target",
            "Revenue Target",
            "Sales Target",
            "Target",
        ],
    },
    "accounts": {
        "account_id": [
            "Account ID",
            "AccountId",
            "Customer No",
            "Customer Number",
            "Customer ID",
            "Account Number",
            "Account No",
            "Company ID",
            "Organization ID",
            "Organisation ID",
            "Record ID",
            "Id",
        ],
        "account_name": [
            "Account Name",
            "Account",
            "Company Name",
            "Company",
            "Customer Name",
            "Customer",
            "Organization Name",
            "Organization",
            "Organisation",
            "Client Name",
            "Client",
            "Name",
        ],
        "owner_rep_id": ["Owner ID", "OwnerId", "Account Owner ID", "Company Owner ID"],
        "owner_rep_name": [
            "Account Owner",
            "Owner",
            "Company Owner",
            "Account Manager",
            "Key Account Manager",
            "Owner Name",
            "Assigned To",
            "Assigned to user",
            *_REP_NAME,
        ],
        "potential": [
            "Annual Potential",
            "Potential",
            "Account Potential",
            "Sales Potential",
            "Wallet",
            "Wallet Size",
            "Annual Wallet",
            "Share of Wallet Potential",
        ],
        "segment": [
            "Segment",
            "Customer Segment",
            "Industry",
            "Sector",
            "Vertical",
            "Account Segment",
        ],
        "region": [
            "Billing Region",
            "Region",
            "Sales Region",
            "Territory",
            "Billing Country",
            "Country",
            "Country/Region",
            "Address 1: Country/Region",
            "Office Location",
            "Regional Office",
        ],
        "relationship_rating": [
            "Relationship",
            "Relationship Rating",
            "Relationship Strength",
            "Relationship Quality",
            "Rating",
            "Account Rating",
        ],
        "owner_since": [
            "Owner Since",
            "Owned Since",
            "Owner Assigned Date",
            "Owner Assigned",
            "Account Owner Since",
        ],
        "company_revenue": [
            "Annual Revenue",
            "AnnualRevenue",
            "Company Revenue",
            "Revenue",
            "Turnover",
        ],
        "employees": [
            "Employees",
            "Number of Employees",
            "NumberOfEmployees",
            "No. of Employees",
            "Employee Count",
            "Headcount",
        ],
    },
    "activities": {
        "activity_id": [
            "Activity ID",
            "Task ID",
            "Event ID",
            "Engagement ID",
            "Activity Record ID",
            "Record ID",
            "Id",
        ],
        "activity_date": [
            "Activity Date",
            "ActivityDate",
            "Date",
            "Due Date",
            "Actual End",
            "Actual Start",
            "Start Date",
            "Start Time",
            "Activity Timestamp",
            "Date of Activity",
            "Due Date Only",
            "Created Date",
        ],
        "rep_id": [
            "Owner ID",
            "OwnerId",
            "Assigned To ID",
            "User ID",
            "Rep ID",
            "HubSpot Owner ID",
            "Activity Owner ID",
        ],
        "rep_name": [
            "Assigned",
            "Assigned To",
            "Assigned to user",
            "Activity Owner",
            "Activity assigned to",
            "Task Owner",
            "Call Owner",
            "HubSpot Owner",
            "Owner",
            *_REP_NAME,
            "User",
        ],
        "account_id": [
            "Account ID",
            "AccountId",
            "What ID",
            "WhatId",
            "Company ID",
            "Customer ID",
            "Customer No",
            "Regarding ID",
            "Organization ID",
        ],
        "account_name": [
            "Company / Account",
            "Account Name",
            "Account",
            "Company",
            "Company Name",
            "Associated Company",
            "Associated Companies",
            "Related To",
            "What",
            "Regarding",
            "Organization",
            "Organisation",
            "Customer",
            "Customer Name",
        ],
        "activity_type": [
            "Activity Type",
            "Type",
            "Task Subtype",
            "TaskSubtype",
            "Event Type",
            "Call Type",
            "Activity",
            "Subject",
        ],
        "duration_minutes": [
            "Duration (min)",
            "Duration (minutes)",
            "DurationInMinutes",
            "Duration in Minutes",
            "Actual Duration",
            "Actual Duration (Minutes)",
            "Duration (mins)",
            "Duration",
            "Minutes",
            "Duration HH:MM",
        ],
        "duration_seconds": [
            "CallDurationInSeconds",
            "Call Duration in Seconds",
            "Duration (s)",
            "Duration (sec)",
            "Duration (seconds)",
            "Call Duration (seconds)",
        ],
        "duration_ms": [
            "Call duration (ms)",
            "hs_call_duration",
            "Duration (ms)",
            "Duration (milliseconds)",
            "Call duration (milliseconds)",
            "hs_meeting_duration",
        ],
        "travel_minutes": [
            "Travel Time (min)",
            "Travel Time",
            "Travel Minutes",
            "Travel (min)",
            "Travel Duration",
        ],
        "contact_role": ["Contact Role", "Role", "Buying Role", "Contact Buying Role", "Job Role"],
    },
    "orders": {
        "order_id": [
            "Invoice No",
            "Invoice Number",
            "Invoice ID",
            "Order ID",
            "Order No",
            "Order Number",
            "Document No",
            "Sales Order",
            "Billing Document",
        ],
        "line_no": ["Line", "Line No", "Line Number", "Position", "Pos", "Item Position"],
        "order_date": [
            "Invoice Date",
            "Order Date",
            "Document Date",
            "Posting Date",
            "Billing Date",
            "Sale Date",
            "Transaction Date",
            "Date",
        ],
        "account_id": [
            "Customer No",
            "Customer Number",
            "Customer ID",
            "Account ID",
            "Debtor No",
            "Sold-to Party",
            "Sold To",
            "Client ID",
        ],
        "account_name": [
            "Customer Name",
            "Customer",
            "Account Name",
            "Account",
            "Company Name",
            "Company",
            "Client",
            "Client Name",
        ],
        "rep_id": ["Rep ID", "Sales Rep ID", "Salesperson Code", "Salesperson ID", "Owner ID"],
        "rep_name": ["Account Owner", "Owner", *_REP_NAME],
        "net_amount": [
            "Net Value",
            "Net Amount",
            "Net",
            "Net Sales",
            "Net Revenue",
            "Line Amount",
            "Line Total",
            "Amount",
            "Revenue",
            "Sales",
            "Invoice Amount",
            "Total",
        ],
        "list_amount": [
            "List Value",
            "List Amount",
            "Gross Value",
            "Gross Amount",
            "Value at List Price",
            "List Total",
            "Gross Sales",
        ],
        "discount_amount": ["Discount Amount", "Discount Value", "Discount", "Rebate"],
        "discount_pct": ["Discount %", "Discount Pct", "Discount Percent", "Discount Rate"],
        "product": [
            "Item",
            "Product",
            "Product Name",
            "Item Name",
            "Article",
            "SKU",
            "Material",
            "Item Description",
        ],
        "product_category": [
            "Product Group",
            "Product Category",
            "Category",
            "Item Group",
            "Product Line",
            "Product Family",
            "Series",
        ],
        "quantity": ["Qty", "Quantity", "Units"],
        "currency": ["Currency", "Currency Code", "CurrencyIsoCode", "Currency ISO Code", "Curr"],
    },
    "deals": {
        "deal_id": [
            "opportunity_id",
            "Opportunity ID",
            "Deal ID",
            "Opportunity Number",
            "Record ID",
            "Id",
        ],
        "account_id": ["Account ID", "AccountId", "Company ID", "Organization ID"],
        "account_name": [
            "Account",
            "Account Name",
            "Associated Company",
            "Company",
            "Company Name",
            "Organization",
            "Organization Name",
            "Potential Customer",
            "Customer",
        ],
        "rep_id": ["Owner ID", "OwnerId"],
        "rep_name": ["Opportunity Owner", "Deal Owner", "Owner", "Assigned to user", *_REP_NAME],
        "product": ["Product", "Product Name", "Item"],
        "stage": [
            # Pipedrive writes both: its status (open / won / lost) is what decides a deal.
            "Deal Status",
            "Deal Stage",
            "Stage",
            "StageName",
            "Stage Name",
            "Status",
            "Status Reason",
            "Pipeline Stage",
            "Opportunity Status",
        ],
        "is_won": ["IsWon", "Is Won", "Won"],
        "engage_date": [
            "Engage Date",
            "Created Date",
            "CreatedDate",
            "Create Date",
            "Deal created",
            "Deal Created On",
            "Opened Date",
        ],
        "close_date": [
            "Close Date",
            "CloseDate",
            "Actual Close Date",
            "Closed Date",
            "Deal closed on",
            "Won time",
            "Est. Close Date",
            "Expected close date",
        ],
        "value": [
            "Close Value",
            "Amount",
            "Deal Value",
            "Value",
            "Deal Amount",
            "Actual Revenue",
            "Est. Revenue",
            "Opportunity Amount",
            "Revenue",
        ],
        "quantity": ["Quantity", "Qty"],
        "currency": [
            "Currency",
            "Currency Code",
            "CurrencyIsoCode",
            "Deal Currency",
            "Value currency",
        ],
    },
    "price_list": {
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
    },
}

# More spellings, appended after the ones above (so those keep their precedence), grouped by
# where they come from. Sources: tests/data/exports/README.md names the public samples and
# importers each set was taken from. Headers are parsed before matching (``parse_header``):
# "No." / "#" / "Nr." / "Nummer" read as "no", units and currencies in brackets or after "in"
# are hints, not words, so "Amount (LCY)" is the spelling "Amount".
_MORE: dict[str, dict[str, list[str]]] = {
    "reps": {
        "rep_id": [
            "Code",
            "Salesperson/Purchaser Code",
            "User Id",
            "Verkäufercode",
            "Mitarbeiter Nr",
            "Personalnummer",
            "Code vendeur",
            "Código vendedor",
            "Verkopercode",
        ],
        "rep_name": [
            "Verkäufer",
            "Vertriebsmitarbeiter",
            "Mitarbeiter",
            "Vendeur",
            "Commercial",
            "Vendedor",
            "Comercial",
            "Verkoper",
            "Accountmanager",
        ],
        "manager": [
            "Manager Name",
            "Vorgesetzter",
            "Teamleiter",
            "Responsable",
            "Jefe",
            "Leidinggevende",
        ],
        "team": ["Vertriebsteam", "Team", "Équipe commerciale", "Equipo de ventas", "Verkoopteam"],
        "region": ["Gebiet", "Vertriebsgebiet", "Région", "Región", "Regio"],
        "email": ["E-Mail", "Courriel", "Correo electrónico"],
    },
    "accounts": {
        "account_id": [
            "No.",
            "Customer No.",
            "Kundennummer",
            "Kunden-Nr.",
            "Kundennr",
            "Debitorennummer",
            "Debitor",
            "Numéro client",
            "Code client",
            "Número de cliente",
            "Código cliente",
            "Klantnummer",
            "Debiteurnummer",
            "Organization - ID",
        ],
        "account_name": [
            "Organization Name",
            "Firma",
            "Kunde",
            "Kundenname",
            "Unternehmen",
            "Raison sociale",
            "Nom du client",
            "Société",
            "Nom",
            "Cliente",
            "Nombre del cliente",
            "Razón social",
            "Empresa",
            "Klant",
            "Klantnaam",
            "Bedrijf",
            "Bedrijfsnaam",
            "Organisatie",
            "Display Name",
        ],
        "owner_rep_id": ["Salesperson Code", "hubspot_owner_id", "Account Owner Id"],
        "owner_rep_name": [
            "Organization Owner",
            "Salesperson",
            "Kundenbetreuer",
            "Betreuer",
            "Verantwortlicher",
            "Außendienstmitarbeiter",
            "Responsable du compte",
            "Commercial",
            "Vendeur",
            "Verkäufer",
            "Vendedor",
            "Verkoper",
            "Propietario de la cuenta",
            "Accounteigenaar",
            "Accountmanager",
        ],
        "potential": [
            "Potenzial",
            "Jahrespotenzial",
            "Umsatzpotenzial",
            "Potentiel",
            "Potentiel annuel",
            "Potencial",
            "Potencial anual",
            "Potentieel",
        ],
        "segment": ["Branche", "Secteur", "Sector", "Customer Posting Group"],
        "region": [
            "Country/Region Code",
            "Country Code",
            "State/Region",
            "Land",
            "Pays",
            "País",
            "Billing Country",
        ],
        "relationship_rating": ["Beziehung", "Beziehungsqualität", "Relation"],
        "company_revenue": [
            "annualrevenue",
            "Jahresumsatz",
            "Umsatz",
            "Chiffre d'affaires",
            "Facturación",
            "Omzet",
        ],
        "employees": [
            "numberofemployees",
            "Mitarbeiterzahl",
            "Anzahl Mitarbeiter",
            "Effectif",
            "Empleados",
            "Medewerkers",
        ],
    },
    "activities": {
        "activity_id": ["Activity - ID", "Call ID", "Meeting ID"],
        "activity_date": [
            "Call Start Time",
            "Start DateTime",
            "Due Date Time",
            "Datum",
            "Aktivitätsdatum",
            "Termin",
            "Date d'activité",
            "Fecha",
            "Fecha de actividad",
        ],
        "rep_name": [
            "Activity Owner",
            "Assigned to user",
            "Zugewiesen an",
            "Bearbeiter",
            "Mitarbeiter",
            "Assigné à",
            "Asignado a",
            "Toegewezen aan",
            "Propriétaire",
            "Propietario",
            "Eigenaar",
        ],
        "account_name": [
            "Related To",
            "Firma",
            "Kunde",
            "Unternehmen",
            "Client",
            "Société",
            "Entreprise",
            "Cliente",
            "Empresa",
            "Cuenta",
            "Klant",
            "Bedrijf",
            "Organisatie",
            "Organization Name",
        ],
        "activity_type": [
            "Call Type",
            "Aktivitätstyp",
            "Typ",
            "Art",
            "Type d'activité",
            "Tipo",
            "Tipo de actividad",
            "Soort",
            "Type activiteit",
        ],
        "duration_minutes": [
            "Call Duration",
            "Meeting Duration",
            "Dauer",
            "Durée",
            "Duración",
            "Duur",
        ],
        "duration_seconds": ["Call Duration (in seconds)"],
    },
    "orders": {
        "order_id": [
            "Document No.",
            "Order Reference",
            "Number",
            "Rechnungsnummer",
            "Rechnungs-Nr.",
            "Belegnummer",
            "Beleg-Nr.",
            "Auftragsnummer",
            "Numéro de facture",
            "Facture",
            "Número de factura",
            "Factura",
            "Factuurnummer",
        ],
        "line_no": ["Line No.", "Pos.", "Zeile", "Ligne", "Línea", "Regel", "Regelnummer"],
        "order_date": [
            "Invoice/Bill Date",
            "date_order",
            "Rechnungsdatum",
            "Belegdatum",
            "Buchungsdatum",
            "Datum",
            "Date de facture",
            "Date facture",
            "Fecha de factura",
            "Fecha factura",
            "Fecha",
            "Factuurdatum",
            "Boekingsdatum",
        ],
        "account_id": [
            "Sell-to Customer No.",
            "Kunden-Nr.",
            "Bill-to Customer No.",
            "Kundennummer",
            "Debitorennummer",
            "Debitor",
            "Numéro client",
            "Code client",
            "Número de cliente",
            "Código cliente",
            "Klantnummer",
            "Debiteurnummer",
        ],
        "account_name": [
            "Sell-to Customer Name",
            "Bill-to Name",
            "Partner",
            "Kunde",
            "Kundenname",
            "Firma",
            "Nom du client",
            "Nombre del cliente",
            "Klant",
            "Klantnaam",
        ],
        "rep_name": [
            "Verkäufer",
            "Vertreter",
            "Vendeur",
            "Commercial",
            "Vendedor",
            "Comercial",
            "Verkoper",
        ],
        "net_amount": [
            "Line Amount Excl. VAT",
            "Amount Excl. VAT",
            "Subtotal",
            "Untaxed Amount",
            "price_subtotal",
            "Nettobetrag",
            "Netto",
            "Nettoumsatz",
            "Betrag netto",
            "Betrag",
            "Umsatz",
            "Montant HT",
            "Total HT",
            "Montant net",
            "Importe neto",
            "Base imponible",
            "Importe",
            "Nettobedrag",
            "Bedrag",
        ],
        "list_amount": ["Listenwert", "Valeur catalogue", "Valor de lista", "Catalogus waarde"],
        "discount_amount": [
            "Line Discount Amount",
            "Inv. Discount Amount",
            "Rabattbetrag",
            "Rabatt",
            "Remise",
            "Descuento",
            "Korting",
        ],
        "discount_pct": ["Line Discount %", "Rabatt %", "Remise %", "Descuento %", "Korting %"],
        "product": [
            "No.",
            "Item No.",
            "Product Code",
            "Description",
            "Artikelnummer",
            "Artikel-Nr.",
            "Artikel",
            "Artikelbezeichnung",
            "Bezeichnung",
            "Référence",
            "Désignation",
            "Produit",
            "Artículo",
            "Producto",
            "Referencia",
            "Omschrijving",
        ],
        "product_category": [
            "Item Category Code",
            "Warengruppe",
            "Artikelgruppe",
            "Produktgruppe",
            "Famille",
            "Catégorie",
            "Familia",
            "Categoría",
            "Productgroep",
            "Artikelgroep",
        ],
        "quantity": [
            "product_uom_qty",
            "Menge",
            "Anzahl",
            "Quantité",
            "Qté",
            "Cantidad",
            "Aantal",
            "Hoeveelheid",
        ],
        "currency": ["Währung", "Devise", "Monnaie", "Moneda", "Valuta"],
    },
    "deals": {
        "deal_id": ["Deal - ID", "Record Id"],
        "account_name": [
            "Organization Name",
            "Deal - Organization",
            "Kunde",
            "Firma",
            "Client",
            "Cliente",
            "Klant",
        ],
        "rep_name": [
            "Deal - Owner",
            "Salesperson",
            "Verkäufer",
            "Commercial",
            "Vendedor",
            "Verkoper",
        ],
        "stage": ["Phase", "Étape", "Etapa", "Fase"],
        "engage_date": [
            "Created Time",
            "Created on",
            "Creation Date",
            "Add time",
            "Erstellt am",
            "Date de création",
            "Fecha de creación",
        ],
        "close_date": [
            "Closing Date",
            "Expected Closing",
            "Abschlussdatum",
            "Date de clôture",
            "Fecha de cierre",
            "Sluitingsdatum",
        ],
        "value": [
            "Expected Revenue",
            "Betrag",
            "Wert",
            "Auftragswert",
            "Montant",
            "Importe",
            "Waarde",
        ],
    },
    "price_list": {
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
    },
}
for _table, _fields in _MORE.items():
    for _fld, _more in _fields.items():
        _known = SYNONYMS[_table].setdefault(_fld, [])
        _known.extend(m for m in _more if m not in _known)

# What a table needs to be loadable: each entry is a set of alternatives (one must be mapped).
REQUIRED: dict[str, list[tuple[str, ...]]] = {name: list(t.required) for name, t in INPUTS.items()}

# Dynamics 365 adds hidden bookkeeping columns to every Excel export.
_IGNORED_PREFIXES = ("do not modify",)

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_header(header: str) -> str:
    """Header text reduced to lower-case words: ``"CallDurationInSeconds"`` ->
    ``"call duration in seconds"``, ``"Company / Account"`` -> ``"company account"``."""
    text = _CAMEL.sub(" ", str(header).strip())
    text = text.replace("%", " pct ").replace("_", " ").lower()
    return _NON_ALNUM.sub(" ", text).strip()


def is_ignored_header(header: str) -> bool:
    """Columns no CRM user means as data (Dynamics' "(Do Not Modify) ..." columns)."""
    return normalise_header(header).startswith(_IGNORED_PREFIXES)


# Units and currencies a header may state (in brackets or after "in"): hints for the value
# parser, not words of the field's name.
_UNIT_WORDS = {
    "ms": "milliseconds",
    "msec": "milliseconds",
    "millisecond": "milliseconds",
    "milliseconds": "milliseconds",
    "s": "seconds",
    "sec": "seconds",
    "secs": "seconds",
    "second": "seconds",
    "seconds": "seconds",
    "sekunden": "seconds",
    "min": "minutes",
    "mins": "minutes",
    "minute": "minutes",
    "minutes": "minutes",
    "minuten": "minutes",
    "minutos": "minutes",
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "hour": "hours",
    "hours": "hours",
    "std": "hours",
    "stunden": "hours",
    "heures": "hours",
    "horas": "hours",
    "uren": "hours",
    "hh mm": "clock",
    "h mm": "clock",
    "hh mm ss": "clock",
}
_CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "chf": "CHF"}
# Entities CRMs put before every column ("Deal - Value": Pipedrive). The table's own entity
# is dropped; another entity's column counts only as a weaker match; a person's never.
_ENTITIES = {
    "reps": {"user", "salesperson", "employee"},
    "accounts": {"organization", "organisation", "company", "account", "customer"},
    "activities": {"activity", "call", "meeting", "task", "event", "engagement"},
    "orders": {"invoice", "order", "sales invoice line", "line"},
    "deals": {"deal", "opportunity"},
    "price_list": {"product", "item", "price"},
}
_PERSONS = {"person", "contact", "lead"}
_ALL_ENTITIES = set().union(*_ENTITIES.values(), _PERSONS)
_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z ]{1,30}?)\s+-\s+(\S.*)$")
_BRACKET = re.compile(r"[\(\[]([^\)\]]*)[\)\]]")
_CLOCK_HINT = re.compile(r"[\(\[]?\bh{1,2}:mm(:ss)?\b[\)\]]?", re.I)
_NUMBER_MARK = re.compile(r"(?i)(?<![A-Za-z])(n[°º]|nº|#)|\b(nr|no|nummer|numero|número|num)\b\.?")


# No synonym is near this long; a longer header (a fuzz run's 300 KB one took the server
# seconds of word splitting per table tried) means no field and is not parsed.
MAX_HEADER_CHARS = 500


@dataclass(frozen=True)
class Header:
    """A header as recognition reads it: the words of its name and what else it says."""

    text: str  # as in the file
    words: tuple[str, ...]  # the name's words, normalised ("customer", "no")
    entity: str | None = None  # "deal" from "Deal - Value"
    unit: str | None = None  # a duration unit the header states (minutes, seconds, ...)
    currency: str | None = None  # a currency the header states (EUR, USD, LCY, ...)


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _hint(text: str) -> tuple[str | None, str | None]:
    """(unit, currency) when ``text`` (a bracket's content, or what follows "in") is one."""
    raw = text.strip()
    low = _NON_ALNUM.sub(" ", raw.lower()).strip()
    if low in _UNIT_WORDS:
        return _UNIT_WORDS[low], None
    if raw.lower() in _CURRENCY_SIGNS:
        return None, _CURRENCY_SIGNS[raw.lower()]
    if re.fullmatch(r"[A-Z]{3}", raw):
        return None, raw
    return None, None


def parse_header(header: str) -> Header:
    """The words of a header's name, its entity prefix, and the unit or currency it states:
    ``"Deal - Value (EUR)"`` -> words ("value",), entity "deal", currency "EUR";
    ``"CallDurationInSeconds"`` -> ("call", "duration"), unit "seconds";
    ``"Kunden-Nr."`` / ``"Customer #"`` -> (..., "no")."""
    text = str(header).strip()
    if len(text) > MAX_HEADER_CHARS:  # no field's name: no words (and no seconds spent)
        return Header(header, ())
    entity = None
    m = _PREFIX.match(text)
    if m and _ascii(m.group(1)).lower().strip() in _ALL_ENTITIES:
        entity, text = _ascii(m.group(1)).lower().strip(), m.group(2)
    unit = currency = None
    clock = _CLOCK_HINT.search(text)
    if clock:  # "Duration HH:MM" (Pipedrive): the values are a clock
        unit, text = "clock", text[: clock.start()] + " " + text[clock.end() :]
    for content in _BRACKET.findall(text):
        u, c = _hint(content)
        if content.strip() == "%":
            continue  # "Discount (%)" is a word of the name
        if u or c:
            unit, currency = unit or u, currency or c
            text = text.replace(f"({content})", " ").replace(f"[{content}]", " ")
    for sign, code in _CURRENCY_SIGNS.items():
        if len(sign) == 1 and sign in text:
            currency = currency or code
            text = text.replace(sign, " ")
    text = _CAMEL.sub(" ", text)
    words_in = re.split(r"\s+in\s+", text.strip(), flags=re.I)
    if len(words_in) > 1:
        u, c = _hint(words_in[-1])
        if u or c:
            unit, currency = unit or u, currency or c
            text = " in ".join(words_in[:-1])
    text = _NUMBER_MARK.sub(" no ", _ascii(text))
    text = text.replace("%", " pct ").replace("_", " ").lower()
    words = tuple(_NON_ALNUM.sub(" ", text).split())
    return Header(str(header), words, entity, unit, currency)


@dataclass(frozen=True)
class Match:
    """Why a header was taken for a field: the spelling it matched and how well."""

    field: str
    score: float  # higher is better; the tier is its integer part
    spelling: str
    how: str  # "exact", "all words", "partly"

    @property
    def why(self) -> str:
        if self.how == "exact":
            return f'is the known spelling "{self.spelling}"'
        if self.how == "all words":
            return f'contains every word of "{self.spelling}"'
        return f'matches part of "{self.spelling}" (a guess: check it)'


EXACT, ALL_WORDS, PARTLY = 3.0, 2.0, 1.0
# Words too common to carry a longer header on their own ("Kunden-Nr." is no product "No.").
_GENERIC = frozenset({"no", "id", "name", "code", "date", "description", "type", "status", "line"})
_DURATION_FIELDS = {
    "minutes": "duration_minutes",
    "seconds": "duration_seconds",
    "milliseconds": "duration_ms",
}


# (word set, field, rank, spelling, unit it states, all its letters run together)
_Entry = tuple[frozenset[str], str, int, str, str | None, str]


def _index() -> dict[str, list[_Entry]]:
    out: dict[str, list[_Entry]] = {}
    for table, fields in SYNONYMS.items():
        entries = []
        for fld, spellings in fields.items():
            for rank, spelling in enumerate([fld, *spellings]):
                parsed = parse_header(spelling)
                joined = normalise_header(spelling).replace(" ", "")
                if parsed.words:
                    entries.append(
                        (frozenset(parsed.words), fld, rank, spelling, parsed.unit, joined)
                    )
        out[table] = entries
    return out


# table -> one entry per spelling of every field. The letters run together let headers
# written in capitals or lower case without separators match API names: Data Loader's
# "CALLDURATIONINSECONDS", HubSpot's "closedate".
INDEX = _index()


def _candidates(table: str, head: Header) -> list[tuple[tuple[str, ...], float, bool]]:
    """The word sequences to match for ``table``: (words, score penalty, exact only)."""
    if head.entity is None:
        return [(head.words, 0.0, False)]
    prefixed = (*head.entity.split(), *head.words)  # "Deal - Owner" is the spelling "Deal Owner"
    if head.entity in _PERSONS:
        return [(prefixed, 0.0, True)]  # a contact person's name is never the account's
    own = head.entity in _ENTITIES[table]
    # The whole phrase first: "Deal - Status" is the spelling "Deal Status" before the
    # bare "Stage" of "Deal - Stage" (Pipedrive writes both; its status decides a deal).
    return [(prefixed, 0.0, True), (head.words, 0.001 if own else EXACT - ALL_WORDS, False)]


def matches(table: str, header: str) -> list[Match]:
    """Every field ``header`` may mean in ``table``, best first: an exact synonym, then a
    header holding all words of a synonym (covering at least half of its words), then a
    header whose words are part of a longer synonym (a guess)."""
    if len(header) > MAX_HEADER_CHARS or is_ignored_header(header):
        return []
    head = parse_header(header)
    found: dict[str, Match] = {}
    for words, penalty, exact_only in _candidates(table, head):
        wset = frozenset(words)
        if not wset:
            continue
        solid = "".join(words) if len(words) == 1 else ""
        for syn, fld, rank, spelling, syn_unit, joined in INDEX[table]:
            unit = head.unit
            if wset == syn:
                tier, how = EXACT, "exact"
            elif solid and solid == joined:
                tier, how = EXACT, "exact"
                unit = unit or syn_unit  # the API name states it ("...InSeconds")
            elif exact_only:
                continue
            elif syn < wset and 2 * len(syn) >= len(wset) and not syn <= _GENERIC:
                tier, how = ALL_WORDS, "all words"
            elif wset < syn and len(wset) >= 2:
                tier, how = PARTLY, "partly"
            else:
                continue
            extra = len(wset ^ syn)
            score = tier - penalty - 0.01 * extra - 0.0001 * rank
            if fld.startswith("duration_") and (unit or syn_unit):
                # The unit the header states decides the field; a header stating none is
                # read in minutes, or in the unit its values show (load.py).
                fld = _DURATION_FIELDS.get(unit or "", "duration_minutes")
                spelling = " ".join(head.words)
            if fld not in found or score > found[fld].score:
                found[fld] = Match(fld, score, spelling, how)
    return sorted(found.values(), key=lambda m: -m.score)


def lookup(table: str, header: str) -> tuple[str, int] | None:
    """The best field a header means in ``table`` and how good (lower = better), or None."""
    best = matches(table, header)
    if not best:
        return None
    return best[0].field, round((EXACT - best[0].score) * 10000)


def fields_of(table: str) -> list[str]:
    """Every field a mapping may name for ``table`` (the Data page's choices)."""
    return list(INPUTS[table].fields)


def examples_of(table: str, n: int = 3) -> list[str]:
    """A few typical headers for a table, for messages like "expected columns like ..."."""
    return [SYNONYMS[table][f][0] for group in REQUIRED[table] for f in group[:1]][:n]
