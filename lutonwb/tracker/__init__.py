"""Year-plan tracker: status model, the update store (DuckDB or PostgreSQL) and editor sign-in.

Plain Python (no Streamlit): the app wires it up in lutonwb/ui/tracker.py.
"""
