"""Replay: steps → input driver (PyAutoGUI); image anchors (mss + OpenCV)."""
