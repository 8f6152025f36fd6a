"""The window's look comes from resources/style.qss, sized from the agent's text size."""

from __future__ import annotations

from wizard.ui.main_window import MainWindow


def test_style_sheet_is_read_from_resources_and_follows_the_text_size(window: MainWindow) -> None:
    window.apply_font_scale(1.0)
    base = window.base_point_size
    sheet = window.styleSheet()
    assert "QPushButton#choice" in sheet  # the shipped rules, not Qt's plain look
    assert f"QWidget {{ font-size: {base:.1f}pt; }}" in sheet
    assert f"font-size: {base * 1.55:.1f}pt" in sheet  # step titles
    window.apply_font_scale(2.0)
    assert f"QWidget {{ font-size: {base * 2:.1f}pt; }}" in window.styleSheet()
