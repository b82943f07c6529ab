"""GradPath: choose a healthcare-AI master's program with real, sourced data."""

__version__ = "0.1.0"
