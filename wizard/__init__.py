"""Troubleshooting Wizard: decision flows for first-line IT support, with case notes."""

# The one place the version is written: the package build (hatchling), `--version`, About, the
# standalone build and the installer read it; tests check CHANGELOG.md and the metainfo against it.
__version__ = "0.1.0"

# The freedesktop/AppStream id: names the .desktop file, the metainfo, the icon, and the window's
# application id, so launchers and task bars group the window with its entry.
APP_ID = "se.troubleshootingwizard.TroubleshootingWizard"
