"""Principle page (being built)."""

import streamlit as st

st.title("Principle")
st.info("This page is being built.")
