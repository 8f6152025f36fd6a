"""The Help menu's boxes: the keyboard shortcuts and About. Built when first asked for.

Their texts keep the "MainWindow" translation context they had when the window built them.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

from wizard import __version__


def show_shortcuts_box(parent: QWidget, rows: list[tuple[str, str]]) -> None:
    """Open a box listing `rows` (keys, what they do) over `parent`."""
    from PySide6.QtWidgets import QMessageBox  # dialogs load when first shown

    html = (
        "<table cellpadding='4'>"
        + "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows)
        + "</table>"
    )
    box = QMessageBox(
        QMessageBox.Icon.NoIcon,
        QCoreApplication.translate("MainWindow", "Keyboard shortcuts"),
        html,
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.RichText)
    box.open()


def show_about_box(parent: QWidget) -> None:
    """Open the About box over `parent`: version, licences, where the content comes from."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QMessageBox

    text = QCoreApplication.translate(
        "MainWindow",
        "<h3>Troubleshooting Wizard %1</h3>"
        "<p>Decision flows for first-line support, in Swedish and English.</p>"
        "<p>Licence: MIT. Built with Qt %2 and Qt for Python %3 (LGPLv3), PyYAML (MIT) and platformdirs (MIT).</p>"
        "<p>Flow content is based on Microsoft's article “Troubleshoot device enrollment in Microsoft Intune”; "
        "the screenshots are our own drawings.</p>",
    )
    text = text.replace("%1", __version__).replace("%2", qVersion()).replace("%3", pyside_version)
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("MainWindow", "About Troubleshooting Wizard"),
        text,
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setObjectName("about")
    box.open()
