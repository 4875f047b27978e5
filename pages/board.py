"""Board page (being built)."""

import streamlit as st

st.title("Board")
st.info("This page is being built.")
