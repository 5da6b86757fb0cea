"""Checks for the exercises of lesson 02."""

__all__: list[str] = []
