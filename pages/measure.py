"""Measure page (being built)."""

import streamlit as st

st.title("Measure")
st.info("This page is being built.")
