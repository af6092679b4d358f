package store

import "database/sql"

// openRaw opens a SQLite file with no kaizen checks (tests build foreign files with it).
func openRaw(path string) (*sql.DB, error) { return sql.Open("sqlite", "file:"+path) }
