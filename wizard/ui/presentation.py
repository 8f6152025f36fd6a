"""Presentation mode for a trainer on a projector: full screen, large type, the step title in a band,
no case panel, demo walks not saved unless asked. Leaving it puts back what the agent had before."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from wizard.ui.main_window import MainWindow


class SavedView(NamedTuple):
    """What presentation mode changes, as it was when the mode was entered."""

    font_scale: float
    case_panel_visible: bool
    full_screen: bool


class Presentation:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.active = False
        self.saved: SavedView | None = None

    @property
    def agent_font_scale(self) -> float:
        """The agent's own text size, kept while the projector has its own."""
        return self.saved.font_scale if self.saved is not None else 1.0

    def toggle(self) -> None:
        self.set(not self.active)

    def set(self, on: bool) -> None:
        if on == self.active:
            return
        window = self.window
        settings = window.settings
        self.active = on
        if on:
            self.saved = SavedView(settings.font_scale, window.case_panel.isVisible(), window.isFullScreen())
            normal_scale = settings.font_scale
            window.case_panel.hide()
            window.showFullScreen()
            window.apply_font_scale(settings.presentation_font_scale)
            settings.font_scale = normal_scale  # the agent's own size is kept for later
        else:
            saved = self.saved or SavedView(1.0, True, False)
            window.case_panel.setVisible(saved.case_panel_visible)
            if not saved.full_screen:
                window.showNormal()
            window.apply_font_scale(saved.font_scale)
        window.cases.recording = not on or settings.save_demo_walks
        window.step_view.set_presentation(on)
        window.menus.presentation_action.setChecked(on)
        window.menus.toggle_case_action.setChecked(window.case_panel.isVisible())
        window.refresh_page()
