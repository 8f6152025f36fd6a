"""The one place the UI language changes: translators in, LanguageChange out to every widget.

UI strings come from Qt Linguist files (`translations/wizard_<lang>.qm`); Qt's own dialogs from
`qtbase_<lang>.qm`. Content comes from the flows, in the same language when they carry it. A language
the flows carry but the UI lacks (e.g. `nb`) still works: content in that language, UI in English.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, QTranslator, Signal

SOURCE_LANGUAGE = "en"  # the language the UI strings are written in
_NAMES = {"en": "English", "sv": "Svenska", "nb": "Norsk bokmål", "da": "Dansk", "fi": "Suomi"}


class Retranslating:
    """For a widget whose texts come from `tr()`: Qt's LanguageChange sets them again.

    Named before the Qt class (`class PathPanel(Retranslating, QWidget)`), so Qt finds this
    `changeEvent`; the widget writes `retranslate_ui`.
    """

    def retranslate_ui(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)  # type: ignore[misc]


class LanguageManager(QObject):
    language_changed = Signal(str)

    def __init__(
        self, translations_dir: Path, content_languages: tuple[str, ...], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.translations_dir = translations_dir
        self.content_languages = content_languages or (SOURCE_LANGUAGE,)
        self._installed: list[QTranslator] = []
        # Translation files of the current language that could not be loaded: the smoke test of a
        # standalone build checks that it carries them (Qt's own ones live in Qt's folder).
        self.missing: list[str] = []
        self.language = SOURCE_LANGUAGE

    def ui_languages(self) -> set[str]:
        """Languages with a compiled UI translation, plus the source language."""
        found = {path.stem.removeprefix("wizard_") for path in self.translations_dir.glob("wizard_*.qm")}
        return found | {SOURCE_LANGUAGE}

    def available(self) -> list[str]:
        """Languages offered in the menu: every language the flows carry."""
        return list(self.content_languages)

    def default_language(self, preferred: str | None) -> str:
        """The remembered choice, else the system locale's language, else English, else any."""
        for candidate in (preferred, QLocale.system().name().split("_")[0], SOURCE_LANGUAGE):
            if candidate and candidate in self.content_languages:
                return candidate
        return self.content_languages[0]

    @staticmethod
    def native_name(lang: str) -> str:
        """The language's own name: "Svenska", "English" (not Qt's "American English" for en)."""
        if lang in _NAMES:
            return _NAMES[lang]
        name = QLocale(lang).nativeLanguageName()
        return name[:1].upper() + name[1:] if name else lang

    def apply(self, lang: str) -> None:
        """Switch the UI to `lang`; every widget receives QEvent.LanguageChange and retranslates."""
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("no QApplication")
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed = []
        self.missing = []
        if lang != SOURCE_LANGUAGE:
            ours = QTranslator(self)
            if ours.load(str(self.translations_dir / f"wizard_{lang}.qm")):
                self._installed.append(ours)
            elif lang in self.ui_languages():
                self.missing.append(f"wizard_{lang}.qm")
            qt_own = QTranslator(self)
            if qt_own.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                self._installed.append(qt_own)
            elif ours in self._installed:  # a UI language we ship: Qt's dialogs should speak it too
                self.missing.append(f"qtbase_{lang}.qm")
        for translator in self._installed:
            app.installTranslator(translator)
        changed = lang != self.language
        self.language = lang
        if changed:
            self.language_changed.emit(lang)
