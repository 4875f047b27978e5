"""The committed Streamlit settings are the production ones (docs/DEPLOYMENT.md, section 5)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


@pytest.fixture(scope="module")
def cfg() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("server", "enableXsrfProtection", True),
        ("server", "enableCORS", True),  # CORS protection on: no cross-origin access
        ("server", "fileWatcherType", "none"),
        ("server", "runOnSave", False),
        ("server", "enableStaticServing", True),  # the ward map's GeoJSON (see below)
        ("client", "toolbarMode", "viewer"),
        ("client", "showErrorDetails", "none"),
        ("client", "showErrorLinks", False),
        ("client", "allowedOrigins", []),  # no frame on any domain controls the app
        ("browser", "gatherUsageStats", False),
        ("runner", "postScriptGC", False),
    ],
)
def test_production_setting(cfg: dict, section: str, key: str, value) -> None:
    assert cfg[section][key] == value


def test_limits_are_small(cfg: dict) -> None:
    assert cfg["server"]["maxUploadSize"] <= 10
    assert cfg["server"]["maxMessageSize"] <= 100


def test_streamlit_accepts_every_setting(cfg: dict) -> None:
    from streamlit import config

    options = config.get_config_options()
    for section, values in cfg.items():
        for key in values:
            assert f"{section}.{key}" in options, f"{section}.{key} is not a Streamlit option"


def test_no_secrets_committed() -> None:
    assert not (CONFIG.parent / "secrets.toml").exists() or _ignored(CONFIG.parent / "secrets.toml")


def _ignored(path: Path) -> bool:
    import subprocess

    r = subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=CONFIG.parents[1])
    return r.returncode == 0


def test_static_serving_publishes_only_the_readme_and_generated_geojson() -> None:
    """Everything under static/ is public (<base>/app/static/): the committed folder holds its
    README only, and what the app writes there (wards/<build>/*.json) is ignored by git."""
    import subprocess

    static = CONFIG.parents[1] / "static"
    tracked = subprocess.run(
        ["git", "ls-files", "static"], cwd=CONFIG.parents[1], capture_output=True, text=True
    ).stdout.split()
    assert tracked == ["static/README.md"]
    assert _ignored(static / "wards" / "0123456789ab" / "iod25-imd-wd23.json")
