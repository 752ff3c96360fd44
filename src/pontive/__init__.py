"""Pontive: the platform that runs a city's Smart City programme."""

__version__ = "0.1.0"
