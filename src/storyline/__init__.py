"""Storyline: one sourced account of each news story."""
__version__ = "0.1.0"
