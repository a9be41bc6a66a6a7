"""Shared fixtures of the export tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def drawn_texts(monkeypatch) -> list[str]:
    """Every string the diagram draws (title, labels, legend), in order: a list filled as the test exports."""
    from geo.export import diagram

    drawn: list[str] = []
    original = diagram._Map._text

    def spy(self, target, x, y, s, **kwargs):
        drawn.append(s)
        return original(self, target, x, y, s, **kwargs)

    monkeypatch.setattr(diagram._Map, "_text", spy)
    return drawn
