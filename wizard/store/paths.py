"""Every location on disk the app uses, in one place.

`WIZARD_HOME` puts all user data and settings under one folder (tests, portable installs);
otherwise platformdirs chooses the platform's usual places.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from wizard.core import resources

APP_NAME = "troubleshooting-wizard"
HOME_VARIABLE = "WIZARD_HOME"
FLOWS_PATH_VARIABLE = "WIZARD_FLOWS_PATH"
SITE_CONFIG_VARIABLE = "WIZARD_SITE_CONFIG"  # another machine-wide settings file (tests, trials)

# Package data is found in the core (exports need it without the store); named here too for callers
# that ask this module for every location.
builtin_data_dir = resources.builtin_data_dir
builtin_flows_dir = resources.builtin_flows_dir
builtin_resources_dir = resources.builtin_resources_dir
builtin_translations_dir = resources.builtin_translations_dir
case_schema_file = resources.case_schema_file


def _home_override() -> Path | None:
    value = os.environ.get(HOME_VARIABLE)
    return Path(value) if value else None


def config_dir() -> Path:
    home = _home_override()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    home = _home_override()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """What the app can rebuild at any time (the loaded flows); safe to delete."""
    home = _home_override()
    return home / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def flow_cache_file() -> Path:
    return cache_dir() / "flows.pickle"


def user_flows_dir() -> Path:
    """Where an agent or an organisation drops its own flows; they replace built-ins by id."""
    return data_dir() / "flows"


def settings_file() -> Path:
    return config_dir() / "settings.json"


def site_settings_file() -> Path:
    """The machine-wide settings file an organisation manages (wizard/store/site.py reads it).

    `WIZARD_HOME` does not move it: an organisation's packs reach portable installs too.
    """
    value = os.environ.get(SITE_CONFIG_VARIABLE)
    if value:
        return Path(value)
    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / "settings.json"


def cases_database() -> Path:
    """The SQLite database of saved cases."""
    return data_dir() / "cases.sqlite3"


def env_flow_dirs() -> list[Path]:
    value = os.environ.get(FLOWS_PATH_VARIABLE, "")
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]


def flow_dirs(extra: list[str] | None = None) -> list[Path]:
    """The flow directories in load order: built-in, user, settings' extra ones, the machine-wide
    settings' ones, then the environment's. A later folder's flow replaces an earlier one's, so an
    organisation's packs win over what an agent set up."""
    from wizard.store.site import load_site_settings

    dirs = [builtin_flows_dir(), user_flows_dir()]
    dirs += [Path(item).expanduser() for item in (extra or [])]
    dirs += load_site_settings().flow_dirs
    dirs += env_flow_dirs()
    return list(dict.fromkeys(dirs))
