"""Global input from the desktop: the pynput listener, its event vocabulary, hotkey chords.

Shared by the recorder (which records the stream) and the player (which watches it for
the abort hotkey). Nothing here knows about macros.
"""
