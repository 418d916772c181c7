"""Pure view functions: one per page that needs more than the metrics, returning a frozen
dataclass (numbers, frames, and what is missing). No Streamlit here."""
