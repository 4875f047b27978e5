"""Methods page (being built)."""

import streamlit as st

st.title("Methods")
st.info("This page is being built.")
