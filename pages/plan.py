"""Plan page (being built)."""

import streamlit as st

st.title("Plan")
st.info("This page is being built.")
