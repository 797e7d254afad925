"""The domain: step types, macros, the step language and its file formats.

Nothing here imports Qt, an input library, or the database: every other layer builds on it.
"""
