"""Router: page config, navigation, shared footer. Pages live in pages/ (URL paths are public)."""

from pathlib import Path

import streamlit as st

from lutonwb.place import current_place
from lutonwb.ui.nav import routed_page
from lutonwb.ui.sections import forget_share_slot
from lutonwb.ui.serve import show_shell_notice

place = current_place()
st.set_page_config(page_title=place.title, page_icon="📊", layout="wide")
st.html(Path(__file__).parent / ".streamlit" / "focus.css")  # style only: takes no space

pages = {
    "Monitor": [
        routed_page("pages/overview.py", title="Overview", url_path="", default=True),
        routed_page("pages/principle.py", title="Marmot principles", url_path="principle"),
        routed_page("pages/board.py", title="Boards", url_path="board"),
        routed_page("pages/measure.py", title="Measures", url_path="measure"),
        routed_page("pages/progress.py", title="Becoming fairer?", url_path="progress"),
    ],
    f"Inside {place.name}": [
        routed_page("pages/wards.py", title="Ward maps", url_path="wards"),
    ],
    "Action": [
        routed_page("pages/plan.py", title="Year-plan tracker", url_path="plan"),
    ],
    "About": [
        routed_page("pages/methods.py", title="Data and methods", url_path="methods"),
    ],
}
pg = st.navigation(pages)
forget_share_slot()  # a lazy section's own rerun rewrites only its page's share link
show_shell_notice()  # an address the page shell had to correct, said once
pg.run()

st.divider()
st.markdown(  # full-contrast text: Streamlit's caption grey fails WCAG AA
    "Source: Office for National Statistics and other government departments, licensed under the "
    "Open Government Licence v3.0. Contains OS data © Crown copyright and database right 2025. "
    "Provenance of every file: Data and methods page."
)
