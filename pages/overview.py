"""Overview: what the monitor is and what data it holds."""

import pandas as pd
import streamlit as st

from lutonwb.ui.data import warehouse

st.title("Luton Marmot Town monitor")
st.write(
    "Is Luton becoming fairer? This monitor follows the measures of Luton's Population Wellbeing "
    "Strategy and Marmot Town programme against England, the East of England and similar areas."
)
wh = warehouse()
counts = pd.DataFrame(sorted(wh.row_counts().items()), columns=["table", "rows"])
st.subheader("Data loaded")
st.caption(
    f"Warehouse built {wh.manifest.get('built_at', 'unknown')} from {len(wh.manifest.get('inputs', {}))} files."
)
st.dataframe(counts, hide_index=True)
