"""Troubleshooting Wizard: decision flows for first-line IT support, with case notes."""

__version__ = "0.1.0"
