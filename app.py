"""Router: page config, navigation, shared footer. Pages live in pages/."""

import streamlit as st

st.set_page_config(page_title="Luton Marmot Town monitor", page_icon="📊", layout="wide")

pages = {
    "Monitor": [
        st.Page("pages/overview.py", title="Overview", url_path="", default=True),
    ],
}
pg = st.navigation(pages)
pg.run()

st.divider()
st.caption(
    "Source: Office for National Statistics and other government departments, licensed under the "
    "Open Government Licence v3.0. Contains OS data © Crown copyright and database right 2025."
)
