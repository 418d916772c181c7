"""reltruth: test "great relationships" against a company's own CRM and ERP exports.

The package is the domain core (ingestion, workspace, metrics, coaching sheets, charts,
CLI). It never imports Streamlit; only ``reltruth.ui`` does, for the pages.
"""

__version__ = "0.1.0"
