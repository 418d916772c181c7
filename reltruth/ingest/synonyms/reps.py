"""Header spellings of the reps table's fields as CRMs and ERPs write them, best first."""

from __future__ import annotations

# A rep's name as any table's rep column may spell it.
REP_NAME = ["rep name", "sales rep", "salesperson", "sales person", "sales agent", "rep", "agent"]

SPELLINGS: dict[str, list[str]] = {
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
        *REP_NAME,
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
}

# Spellings found in more exports, appended after SPELLINGS (tables.py), by where they come from.
MORE: dict[str, list[str]] = {
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
}
