"""The floor: an empty Streamlit app with one button (what every ratio in the benchmark divides by)."""

import streamlit as st

st.title("Empty app")
if st.button("Click", key="click"):
    st.write("clicked")
