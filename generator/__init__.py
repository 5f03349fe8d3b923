"""Ailin Board: publish what a community did with its residents' suggestions."""

__version__ = "0.1.0"
