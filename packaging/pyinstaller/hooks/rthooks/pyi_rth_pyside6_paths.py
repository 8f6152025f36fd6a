# Replaces PyInstaller's own PySide6 run-time hook, which imports QtCore at every start only to register a
# qt.conf. The PySide6 wheel registers its own when it is first imported, so the paths below are enough,
# and a command that needs no Qt (`validate`, `--version`) starts without loading it.
import os
import sys

_qt = (
    os.path.join(sys._MEIPASS, "PySide6")
    if sys.platform == "win32"
    else os.path.join(sys._MEIPASS, "PySide6", "Qt")
)
os.environ["QT_PLUGIN_PATH"] = os.path.join(_qt, "plugins")
os.environ["QML2_IMPORT_PATH"] = os.path.join(_qt, "qml")
del _qt
