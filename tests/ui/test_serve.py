"""The launcher's page shell: the base-URL hint that spares deep links Streamlit's health probe."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lutonwb.ui import serve
from lutonwb.ui.state import PAGE_PATHS

ROOT = Path(__file__).resolve().parents[2]
SHELL = """<html><head>
<script>window.prerenderReady = false</script>
<script type="module" crossorigin src="./static/js/index.abc.js"></script>
</head><body><div id="root"></div></body></html>"""


def _app_url_paths() -> list[str]:
    """url_path of every page app.py routes (each made by nav.routed_page)."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    return [
        kw.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "routed_page"
        for kw in node.keywords
        if kw.arg == "url_path"
    ]


def test_page_paths_are_app_pys() -> None:
    assert sorted(_app_url_paths()) == sorted(PAGE_PATHS)


def test_hint_goes_before_the_bundle_and_names_every_page() -> None:
    out = serve.page_shell_with_base_hint(SHELL)
    hint_at, bundle_at = out.index("BACKEND_BASE_URL"), out.index('<script type="module"')
    assert hint_at < bundle_at
    assert out.count('<script type="module"') == 1
    assert '["principle", "board", "measure", "progress", "wards", "plan", "methods"]' in out
    start = out.index("<script>\n(function")
    assert out[:start] + out[bundle_at:] == SHELL  # nothing else changed


def test_shell_without_bundle_tag_is_refused() -> None:
    with pytest.raises(ValueError, match="module script"):
        serve.page_shell_with_base_hint("<html><script src=x.js></script></html>")


def test_static_copy_links_everything_but_the_shell(tmp_path: Path) -> None:
    original = tmp_path / "orig"
    (original / "static" / "js").mkdir(parents=True)
    (original / "static" / "js" / "index.abc.js").write_text("console.log(1)")
    (original / "favicon.png").write_bytes(b"png")
    (original / "index.html").write_text(SHELL)
    copy = serve.static_dir_with_base_hint(original, tmp_path / "copy")
    assert (copy / "static").is_symlink() and (copy / "favicon.png").is_symlink()
    assert (copy / "static" / "js" / "index.abc.js").read_text() == "console.log(1)"
    assert not (copy / "index.html").is_symlink()
    assert "BACKEND_BASE_URL" in (copy / "index.html").read_text()
    assert (original / "index.html").read_text() == SHELL  # the package's own file untouched


def test_failed_patch_keeps_streamlits_static_dir(monkeypatch, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html>no bundle</html>")
    monkeypatch.setattr(serve.file_util, "get_static_dir", lambda: str(tmp_path))
    serve._serve_page_shell_with_base_hint()
    assert serve.file_util.get_static_dir() == str(tmp_path)


@pytest.mark.parametrize(
    ("cookie", "starts"),
    [
        ("path", "This address has extra parts after the page's name"),
        ("params", "This link has more than 1,000 settings or 524,288 characters"),
        ("", ""),
        ("<script>", ""),  # only the shell's own words, never the cookie's text
    ],
)
def test_shell_notice_from_its_cookie(cookie: str, starts: str) -> None:
    text = serve.shell_notice({serve.NOTICE_COOKIE: cookie})
    assert text.startswith(starts) and (text == "") == (starts == "")


def test_shell_names_streamlits_query_limits_and_the_notice_cookie() -> None:
    out = serve.page_shell_with_base_hint(SHELL)
    assert "limits = [1000, 524288]" in out and 'name = "lutonwb_notice"' in out
