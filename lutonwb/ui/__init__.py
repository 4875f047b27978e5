"""Streamlit-side pieces (the only part of lutonwb that imports streamlit)."""
