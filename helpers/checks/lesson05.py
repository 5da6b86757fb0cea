"""Checks for the exercises of lesson 05."""

__all__: list[str] = []
