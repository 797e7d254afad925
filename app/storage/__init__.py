"""SQLite storage through sqlite-utils: schema, migrations and repositories (DESIGN §3)."""
