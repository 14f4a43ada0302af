/// The history database's schema, by version (`PRAGMA user_version`). A database of an older
/// version is migrated forward on open, in one transaction; one of a newer version (written by
/// a newer creditsim) is refused rather than misread. To change the schema: append a migration,
/// never edit a shipped one.
enum HistorySchema {
    /// The version this build writes.
    static var version: Int { migrations.count }

    /// migrations[k] takes a database from version k to k + 1.
    static let migrations: [String] = [
        // Version 1.
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            scenario TEXT NOT NULL,
            as_of TEXT NOT NULL,
            started_utc TEXT NOT NULL,
            finished_utc TEXT NOT NULL,
            paths INTEGER NOT NULL,
            seed TEXT NOT NULL,
            method TEXT NOT NULL,
            partial INTEGER NOT NULL,
            net_el REAL NOT NULL,
            gross_el REAL NOT NULL,
            tool_version TEXT NOT NULL,
            revision TEXT NOT NULL,
            out_dir TEXT,
            inputs_sha256 TEXT NOT NULL
        );
        CREATE INDEX runs_by_scenario ON runs(scenario, as_of, started_utc);
        CREATE TABLE portfolios (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            portfolio TEXT NOT NULL,
            net_el REAL NOT NULL,
            net_el_se REAL,
            gross_el REAL NOT NULL,
            gross_el_se REAL,
            PRIMARY KEY (run_id, portfolio)
        );
        CREATE TABLE measures (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            portfolio TEXT NOT NULL,
            loss TEXT NOT NULL,
            level REAL NOT NULL,
            var REAL NOT NULL,
            es REAL NOT NULL,
            es_se REAL,
            PRIMARY KEY (run_id, portfolio, loss, level)
        );
        """,
    ]
}
