"""A stand-in for the window's yes/no dialog, shared by the window tests."""

from __future__ import annotations


class Confirmations:
    """Records what was asked and answers as told."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.answer = True

    def __call__(self, title: str, text: str) -> bool:
        self.asked.append(title)
        return self.answer
