"""The floor for choosing: the empty app with a selectbox in the sidebar (as the overview's
comparator group) and one on the page (as the measure page's measure list), with as many options
as the app's lists. Choosing reruns the script and draws nothing else. Its expander is the floor
for opening a section: a click reruns the script (as a section's does) and draws one line."""

import streamlit as st

st.title("Empty app")
st.sidebar.selectbox("Comparator group", [f"Group {i}" for i in range(1, 8)], key="group")
st.selectbox("Measure", [f"Measure {i}" for i in range(1, 132)], key="measure")
with st.expander("Section", key="section", on_change=lambda: None) as box:
    if box.open:
        st.write("Drawn while open.")
