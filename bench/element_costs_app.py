"""Profiling aid: one kind of element drawn n times (?kind=dataframe&n=3), to price each kind."""

import altair as alt
import pandas as pd
import streamlit as st

kind = st.query_params.get("kind", "none")
n = int(st.query_params.get("n", "1"))
df = pd.DataFrame(
    {"a": range(20), "b": [f"row {i}" for i in range(20)], "c": [i * 1.5 for i in range(20)]}
)
st.title("Element costs")
for i in range(n):
    if kind == "dataframe":
        st.dataframe(df, hide_index=True)
    elif kind == "table":
        st.table(df, hide_index=True)
    elif kind == "styled_table":
        st.table(df.style.map(lambda v: "background-color: #ddd", subset=["b"]), hide_index=True)
    elif kind == "markdown_table":
        st.markdown(df.to_markdown(index=False) if hasattr(df, "to_markdown") else "")
    elif kind == "altair":
        st.altair_chart(alt.Chart(df).mark_line().encode(x="a", y="c"), key=f"c{i}")
    elif kind == "altair_svg":  # the same chart drawn as SVG (vega-embed's usermeta.embedOptions)
        spec = alt.Chart(df).mark_line().encode(x="a", y="c").to_dict()
        spec["usermeta"] = {"embedOptions": {"renderer": "svg"}}
        st.vega_lite_chart(spec, key=f"c{i}")
    elif kind == "altair_dict":  # the same chart as a ready spec (canvas)
        st.vega_lite_chart(alt.Chart(df).mark_line().encode(x="a", y="c").to_dict(), key=f"c{i}")
    elif kind == "download":
        st.download_button("Download", data=b"x", key=f"d{i}", on_click="ignore")
    elif kind == "markdown":
        st.markdown(f"Some **text** {i}")
    elif kind == "columns":
        a, b = st.columns(2)
        a.write("x")
        b.write("y")
    elif kind == "page_link":
        st.page_link("https://example.org", label=f"Link {i}")
    elif kind == "metric":
        st.metric("Label", f"{i}")
    elif kind == "code":
        st.code("https://example.org/?a=b", language=None, wrap_lines=True)
    elif kind == "badge":
        st.badge(f"Badge {i}", color="blue")
    elif kind == "header":
        st.header(f"Header {i}")
    elif kind == "header_noanchor":
        st.header(f"Header {i}", anchor=False)
    elif kind == "md_header":  # a level-2 heading written in markdown
        st.markdown(f"## Header {i}")
    elif kind == "card":  # the overview's headline card: a bordered box of metric, text, link
        with st.container(border=True):
            st.metric("Label", f"{i}")
            st.markdown(f"Some **text** {i}")
            st.page_link("https://example.org", label=f"Link {i}")
    elif kind == "verdict_table":  # a 20-row markdown table with a coloured verdict per row
        rows = "\n".join(
            f"| row {j} | {j * 1.5:.1f} | :orange-background[Worse] |" for j in range(20)
        )
        st.markdown("| Measure | Value | vs England |\n|---|--:|---|\n" + rows)
    elif kind == "expander_df":
        with st.expander("More"):
            st.dataframe(df, hide_index=True)
if st.button("Click", key="click"):
    st.write("clicked")
