"""RPA Assistant: record, edit and replay desktop macros, offline."""

__version__ = "0.1.0"
