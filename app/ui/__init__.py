"""The desktop app: PySide6 windows, item models and dialogs (the only Qt code, DESIGN §1)."""
