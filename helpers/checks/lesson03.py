"""Checks for the exercises of lesson 03."""

__all__: list[str] = []
