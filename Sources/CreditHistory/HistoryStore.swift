import Foundation

/// A run history in one SQLite file (`run --history FILE`), created when missing. Appends are
/// transactions under SQLite's write lock (WAL journal, busy timeout), so runs appending to one
/// file at the same time all land, one after the other. Tables (schema version 1, see
/// `HistorySchema`): `runs` (one row per run: scenario, as_of, started_utc, paths, seed, net_el,
/// gross_el, …), `portfolios` (EL per portfolio: base and each stress) and
/// `measures(run_id, portfolio, loss, level, var, es, es_se)`.
public final class HistoryStore {
    let db: SQLiteDatabase

    /// Opens `path`, creating or migrating its schema.
    public init(path: String) throws(HistoryError) {
        db = try SQLiteDatabase(path: path)
        try db.execute("PRAGMA foreign_keys = ON")
        try migrate()
    }

    /// The schema version of the open database.
    public func schemaVersion() throws(HistoryError) -> Int {
        let rows = try db.prepare("PRAGMA user_version").rows { Int($0.int(0)) }
        return rows.first ?? 0
    }

    private func migrate() throws(HistoryError) {
        // WAL lets readers (history listings) run beside a writer; the switch is persistent.
        _ = try db.prepare("PRAGMA journal_mode = WAL").rows { $0.text(0) }
        try db.transaction { () throws(HistoryError) -> Void in
            let current = try schemaVersion()
            guard current <= HistorySchema.version else {
                throw HistoryError("\(db.path): history schema version \(current) was written by a newer creditsim (this one knows \(HistorySchema.version)); use that version or another --history file")
            }
            for v in current..<HistorySchema.version {
                try db.execute(HistorySchema.migrations[v])
                try db.execute("PRAGMA user_version = \(v + 1)")
            }
        }
    }

    /// Appends one run; returns its id. `beforeCommit` runs inside the transaction, holding the
    /// write lock (a test hook).
    @discardableResult
    public func append(_ r: HistoryRecord, beforeCommit: () -> Void = {}) throws(HistoryError) -> Int64 {
        try db.transaction { () throws(HistoryError) -> Int64 in
            let run = try db.prepare("""
                INSERT INTO runs (scenario, as_of, started_utc, finished_utc, paths, seed, method, partial, net_el, gross_el,
                                  tool_version, revision, out_dir, inputs_sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            try run.run([.text(r.scenario), .text(r.asOf), .text(r.startedUTC), .text(r.finishedUTC), .integer(Int64(r.paths)),
                         .text(String(r.seed)), .text(r.method), .integer(r.partial ? 1 : 0), .real(r.base?.netEL ?? 0),
                         .real(r.base?.grossEL ?? 0), .text(r.toolVersion), .text(r.revision),
                         r.outDir.map { .text($0) } ?? .null, .text(r.inputsSHA256)])
            let id = db.lastInsertedRow
            let portfolio = try db.prepare("INSERT INTO portfolios (run_id, portfolio, net_el, net_el_se, gross_el, gross_el_se) VALUES (?, ?, ?, ?, ?, ?)")
            let measure = try db.prepare("INSERT INTO measures (run_id, portfolio, loss, level, var, es, es_se) VALUES (?, ?, ?, ?, ?, ?, ?)")
            for p in r.portfolios {
                try portfolio.run([.integer(id), .text(p.name), .real(p.netEL), p.netELSE.map { .real($0) } ?? .null,
                                   .real(p.grossEL), p.grossELSE.map { .real($0) } ?? .null])
                for m in p.measures {
                    try measure.run([.integer(id), .text(p.name), .text(m.loss), .real(m.level), .real(m.valueAtRisk),
                                     .real(m.expectedShortfall), m.expectedShortfallSE.map { .real($0) } ?? .null])
                }
            }
            beforeCommit()
            return id
        }
    }

    /// The stored runs, oldest first by as_of then start (of one scenario when named), with
    /// their portfolios and measures.
    public func runs(scenario: String? = nil) throws(HistoryError) -> [HistoryRecord] {
        let filter = scenario == nil ? "" : " WHERE scenario = ?"
        let select = try db.prepare("""
            SELECT id, scenario, as_of, started_utc, finished_utc, paths, seed, method, partial, tool_version, revision,
                   out_dir, inputs_sha256 FROM runs\(filter) ORDER BY as_of, started_utc, id
            """)
        var records = try select.rows(scenario.map { [.text($0)] } ?? []) { s -> HistoryRecord in
            var r = HistoryRecord(scenario: s.text(1), asOf: s.text(2), startedUTC: s.text(3), finishedUTC: s.text(4),
                                  paths: Int(s.int(5)), seed: UInt64(s.text(6)) ?? 0, method: s.text(7), partial: s.int(8) != 0,
                                  toolVersion: s.text(9), revision: s.text(10), outDir: s.optionalText(11),
                                  inputsSHA256: s.text(12), portfolios: [])
            r.id = s.int(0)
            return r
        }
        let portfolios = try db.prepare("SELECT portfolio, net_el, net_el_se, gross_el, gross_el_se FROM portfolios WHERE run_id = ? ORDER BY rowid")
        let measures = try db.prepare("SELECT loss, level, var, es, es_se FROM measures WHERE run_id = ? AND portfolio = ? ORDER BY loss DESC, level")
        for i in records.indices {
            guard let id = records[i].id else { continue }
            var list = try portfolios.rows([.integer(id)]) { s in
                HistoryRecord.Portfolio(name: s.text(0), netEL: s.double(1) ?? 0, netELSE: s.double(2), grossEL: s.double(3) ?? 0,
                                        grossELSE: s.double(4), measures: [])
            }
            for j in list.indices {
                list[j].measures = try measures.rows([.integer(id), .text(list[j].name)]) { s in
                    HistoryRecord.Measure(loss: s.text(0), level: s.double(1) ?? 0, valueAtRisk: s.double(2) ?? 0,
                                          expectedShortfall: s.double(3) ?? 0, expectedShortfallSE: s.double(4))
                }
            }
            records[i].portfolios = list
        }
        return records
    }
}
