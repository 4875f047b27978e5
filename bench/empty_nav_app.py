"""The floor for moving between pages inside an app: the empty one-button app as two pages in
Streamlit's own sidebar navigation (a click on the other page's link reruns without a reload)."""

import streamlit as st


def _page() -> None:
    st.title("Empty app")
    if st.button("Click", key="click"):
        st.write("clicked")


st.navigation(
    [
        st.Page(_page, title="First", url_path="first", default=True),
        st.Page(_page, title="Second", url_path="second"),
    ]
).run()
