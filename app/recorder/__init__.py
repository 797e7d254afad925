"""Recording: one ordered stream of input events → raw events in SQLite → semantic steps."""
