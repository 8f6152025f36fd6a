"""Guards against a Qt for Python build that corrupts reference counts: 6.12.0 lost a reference to
True or False on every signal emit, which crashed the app after a few dozen pages."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    with_object = Signal(object)


def test_emitting_signals_keeps_bool_reference_counts() -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.with_object.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(50):
        emitter.plain.emit()
        emitter.with_object.emit(None)
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert len(received) == 50
    assert after[0] >= before[0] - 2 and after[1] >= before[1] - 2, (before, after)
