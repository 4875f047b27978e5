"""Wards page (being built)."""

import streamlit as st

st.title("Wards")
st.info("This page is being built.")
