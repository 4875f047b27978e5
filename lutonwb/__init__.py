"""Luton Marmot Town monitor: a plain library (no Streamlit outside lutonwb/ui)."""

__version__ = "0.1.0"
