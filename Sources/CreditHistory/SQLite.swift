import CSQLite
import Foundation

/// Why a history database cannot be read or written; each says what to do.
public struct HistoryError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A SQLite connection: open, statements, transactions. One connection per process and call;
/// SQLite itself serialises writers across processes (WAL journal, a busy timeout).
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String

    /// Opens (creating when missing) the database file at `path`.
    init(path: String) throws(HistoryError) {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        handle = db
        guard rc == SQLITE_OK, db != nil else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            handle = nil
            throw HistoryError("\(path): cannot open the history database: \(reason)")
        }
        // Concurrent runs append to one file: wait up to a minute for another writer's lock.
        sqlite3_busy_timeout(db, 60_000)
    }

    deinit { sqlite3_close(handle) }

    /// Runs SQL without results (several statements allowed).
    func execute(_ sql: String) throws(HistoryError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let reason = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw error(reason)
        }
    }

    func prepare(_ sql: String) throws(HistoryError) -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error(String(cString: sqlite3_errmsg(handle)))
        }
        return SQLiteStatement(statement, database: self)
    }

    var lastInsertedRow: Int64 { sqlite3_last_insert_rowid(handle) }

    /// `body` inside BEGIN IMMEDIATE … COMMIT (rolled back when it throws): the write lock is
    /// taken at the start, so two appending processes queue instead of failing on an upgrade.
    func transaction<T>(_ body: () throws(HistoryError) -> T) throws(HistoryError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    func error(_ reason: String) -> HistoryError {
        let hint = reason.contains("not a database") ? " (this file is not a CreditSim history database; name another --history file)" : ""
        return HistoryError("\(path): \(reason)\(hint)")
    }

    func currentError() -> HistoryError { error(String(cString: sqlite3_errmsg(handle))) }
}

/// A prepared statement: bind by position (1-based), step, read columns.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let database: SQLiteDatabase

    init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// SQLite copies bound text at once (SQLITE_TRANSIENT, a macro Swift cannot import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ values: [SQLiteValue]) throws(HistoryError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, v) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch v {
            case let .integer(x): rc = sqlite3_bind_int64(handle, index, x)
            case let .real(x): rc = x.isFinite ? sqlite3_bind_double(handle, index, x) : sqlite3_bind_null(handle, index)
            case let .text(s): rc = sqlite3_bind_text(handle, index, s, -1, Self.transient)
            case .null: rc = sqlite3_bind_null(handle, index)
            }
            if rc != SQLITE_OK { throw database.currentError() }
        }
    }

    /// Runs a statement that returns no rows.
    func run(_ values: [SQLiteValue] = []) throws(HistoryError) {
        try bind(values)
        let rc = sqlite3_step(handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw database.currentError() }
    }

    /// Every row, each read by `row`.
    func rows<T>(_ values: [SQLiteValue] = [], _ row: (SQLiteStatement) -> T) throws(HistoryError) -> [T] {
        try bind(values)
        var out: [T] = []
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return out }
            guard rc == SQLITE_ROW else { throw database.currentError() }
            out.append(row(self))
        }
    }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func double(_ column: Int32) -> Double? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(handle, column)
    }
    func optionalText(_ column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : text(column)
    }
    func text(_ column: Int32) -> String {
        sqlite3_column_text(handle, column).map { String(cString: $0) } ?? ""
    }
}

/// A value bound to a statement.
enum SQLiteValue {
    case integer(Int64)
    case real(Double)
    case text(String)
    case null
}
