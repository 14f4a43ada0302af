import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A result folder DIR with one writer, replaced whole by one atomic step.
///
/// - `acquire` takes the lock `PARENT/.NAME.creditsim-lock` (an `flock` on a file holding the
///   writer's PID, so a killed writer's lock is free again) before anything is simulated: a second
///   run into the same folder is refused while the first runs. Under the lock it removes what
///   killed runs left beside DIR (`.NAME.creditsim-staging-PID` folders).
/// - `write` puts every file into a fresh staging folder `PARENT/.NAME.creditsim-staging-PID`,
///   then makes it DIR in one step: `rename` when DIR is new, `renameat2(RENAME_EXCHANGE)` when
///   it exists (then the old folder, now under the staging name, is removed). A kill at any point
///   leaves either the complete old DIR or the complete new one. Nothing inside DIR is ever
///   opened or followed, so a symbolic link there (`stress-x` → elsewhere) is only unlinked.
/// - On failure the staging folder, the lock and every parent folder the run created are removed.
public final class OutputDirectory: @unchecked Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case notWritable(path: String, reason: String)
        /// Another live process holds the folder's lock.
        case busy(path: String, pid: Int32?)
        /// Not a folder one may write (empty, or it would replace the scenario's inputs).
        case badPath(path: String, reason: String)
        /// A file's contents could not be made (an internal error): nothing was written.
        case cannotEncode(file: String, reason: String)

        public var description: String {
            switch self {
            case let .notWritable(path, reason): return "\(path): cannot write output: \(reason)"
            case let .busy(path, pid):
                return "\(path): another creditsim run (process \(pid.map(String.init) ?? "unknown")) is writing this folder; wait for it to finish or choose another --out"
            case let .badPath(path, reason): return "--out \(path): \(reason)"
            case let .cannotEncode(file, reason): return "internal: cannot encode \(file): \(reason)"
            }
        }
    }

    /// The folder as given.
    public let path: String
    /// Resolved absolute parent folder and the folder's name in it.
    let parent: String
    let name: String
    var target: String { parent + "/" + name }
    var lockPath: String { parent + "/." + name + ".creditsim-lock" }
    var stagingPrefix: String { "." + name + ".creditsim-staging-" }
    var stagingPath: String { parent + "/" + stagingPrefix + "\(getpid())" }
    var asidePath: String { parent + "/." + name + ".creditsim-old-\(getpid())" }
    /// The topmost parent folder this run created (removed again on failure).
    private var createdParent: String?
    private var lockFD: Int32 = -1
    private var committed = false

    /// Takes the folder's lock, creating missing parents. `protecting`: input files and folders
    /// DIR must neither be nor contain (the scenario's folder and files).
    public static func acquire(path: String, protecting inputs: [String] = [], markers: [String] = ["summary.json"]) throws(Failure) -> OutputDirectory {
        let dir = try OutputDirectory(path: path, protecting: inputs, markers: markers)
        do {
            try dir.lock()
            dir.removeLeftovers()
        } catch {
            dir.release()
            throw error
        }
        return dir
    }

    /// Takes an existing folder's lock without writing it: what `merge` holds on each shard folder
    /// while it reads, so that no run rewrites a shard under it (and it reads no half-written one).
    public static func lockForReading(path: String) throws(Failure) -> OutputDirectory {
        let dir = try OutputDirectory(path: path, protecting: [], markers: [], createParents: false)
        do { try dir.lock() } catch {
            dir.release()
            throw error
        }
        return dir
    }

    private init(path: String, protecting inputs: [String], markers: [String], createParents: Bool = true) throws(Failure) {
        self.path = path
        guard !path.isEmpty else { throw .badPath(path: "\"\"", reason: "must name a folder (got an empty string)") }
        guard !path.contains("\0") else { throw .badPath(path: path, reason: "contains a NUL character") }
        var resolved = Self.resolve(path)
        var st = stat()
        if lstat(resolved, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK {
            // DIR itself is a link: the folder it points to is the one replaced.
            if let real = realpath(resolved, nil) {
                resolved = String(cString: real)
                free(real)
            } else {
                throw .notWritable(path: path, reason: "a symbolic link to nowhere")
            }
        }
        if resolved == "/" { throw .badPath(path: path, reason: "the root folder cannot be a result folder") }
        for input in inputs where !input.isEmpty {
            let r = Self.resolve(input)
            if r == resolved || r.hasPrefix(resolved + "/") {
                throw .badPath(path: path, reason: "is or contains the scenario's input \(input); choose a folder outside it, since a run replaces its folder whole")
            }
        }
        let slash = resolved.lastIndex(of: "/")!
        parent = slash == resolved.startIndex ? "/" : String(resolved[..<slash])
        name = String(resolved[resolved.index(after: slash)...])
        if lstat(resolved, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw .notWritable(path: path, reason: "exists and is not a directory")
            }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: resolved)) ?? []
            var summary = stat()
            if createParents && !entries.isEmpty && !markers.contains(where: { lstat(resolved + "/" + $0, &summary) == 0 }) {
                throw .notWritable(path: path, reason: "exists and holds no \(markers.joined(separator: " or ")), so it is not a folder CreditSim wrote; it would be replaced whole, so give a new, empty or earlier CreditSim folder")
            }
        }
        if createParents { try self.createParents() }
    }

    deinit { release() }

    /// An absolute, normalised path: `.` and `..` and links resolved as far as the path exists.
    static func resolve(_ path: String) -> String {
        var absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        while absolute.count > 1 && absolute.hasSuffix("/") { absolute.removeLast() }
        var existing = absolute
        var rest: [String] = []
        while true {
            if let real = realpath(existing, nil) {
                var s = String(cString: real)
                free(real)
                for part in rest.reversed() {
                    if part == "." || part.isEmpty { continue }
                    if part == ".." {
                        if let i = s.lastIndex(of: "/") { s = i == s.startIndex ? "/" : String(s[..<i]) }
                        continue
                    }
                    s = (s == "/" ? "" : s) + "/" + part
                }
                return s
            }
            guard let i = existing.lastIndex(of: "/") else { return absolute }
            rest.append(String(existing[existing.index(after: i)...]))
            existing = i == existing.startIndex ? "/" : String(existing[..<i])
        }
    }

    private func createParents() throws(Failure) {
        var missing: [String] = []
        var p = parent
        var st = stat()
        while stat(p, &st) != 0 {
            missing.append(p)
            guard let i = p.lastIndex(of: "/"), i != p.startIndex else { break }
            p = String(p[..<i])
        }
        if stat(p, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR {
            throw .notWritable(path: path, reason: "\(p) is not a directory")
        }
        for m in missing.reversed() {
            if mkdir(m, 0o777) != 0 && errno != EEXIST {
                let reason = Self.errorText()
                removeCreatedParents()
                throw .notWritable(path: path, reason: reason)
            }
            if createdParent == nil { createdParent = m }
        }
    }

    private func removeCreatedParents() {
        guard let top = createdParent else { return }
        var p = parent
        while p.count >= top.count {
            if rmdir(p) != 0 { break }
            guard p != top, let i = p.lastIndex(of: "/") else { break }
            p = String(p[..<i])
        }
        createdParent = nil
    }

    private func lock() throws(Failure) {
        for _ in 0..<100 {
            let fd = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw .notWritable(path: path, reason: "cannot create the lock \(lockPath): \(Self.errorText())") }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let busy = errno == EWOULDBLOCK
                let reason = Self.errorText()
                var buffer = [UInt8](repeating: 0, count: 32)
                let n = read(fd, &buffer, 31)
                close(fd)
                if busy {
                    let pid = n > 0 ? Int32(String(decoding: buffer[0..<n], as: UTF8.self)
                        .trimmingCharacters(in: .whitespacesAndNewlines)) : nil
                    throw .busy(path: path, pid: pid)
                }
                throw .notWritable(path: path, reason: "cannot lock \(lockPath): \(reason)")
            }
            // The lock file may have been removed (by its finishing owner) between open and flock:
            // hold the lock only on the file that is still there.
            var mine = stat(), there = stat()
            if fstat(fd, &mine) == 0 && lstat(lockPath, &there) == 0 && mine.st_ino == there.st_ino && mine.st_dev == there.st_dev {
                let text = "\(getpid())\n"
                _ = ftruncate(fd, 0)
                _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
                lockFD = fd
                Self.testPause("locked")
                return
            }
            close(fd)
        }
        throw .notWritable(path: path, reason: "cannot take the lock \(lockPath)")
    }

    /// Staging folders of earlier runs into this folder (killed; we hold the lock, so none is
    /// live), and an old folder set aside by a run killed between its two renames.
    private func removeLeftovers() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        let aside = "." + name + ".creditsim-old-"
        for e in entries where e.hasPrefix(stagingPrefix) { Self.removeTree(parent + "/" + e) }
        for e in entries where e.hasPrefix(aside) {
            var st = stat()
            if lstat(target, &st) != 0 && rename(parent + "/" + e, target) == 0 { continue }
            Self.removeTree(parent + "/" + e)
        }
    }

    /// Writes `files` (name → contents; a name may hold one folder level, "stress-x/summary.json")
    /// as the new content of the folder, replacing whatever was there.
    public func write(_ files: [(name: String, contents: String)]) throws(Failure) {
        try write(files.map { f in ResultFile(f.name) { Data(f.contents.utf8) } })
    }

    /// Writes binary and text files alike (see `write(_:)` for strings).
    public func write(_ files: [(name: String, contents: Data)]) throws(Failure) {
        try write(files.map { f in ResultFile(f.name) { f.contents } })
    }

    /// Writes files whose contents are made as each is written, one at a time (so a large
    /// per-path array is in memory only while it is written).
    public func write(_ files: [ResultFile]) throws(Failure) {
        let staging = stagingPath
        Self.removeTree(staging)
        do {
            guard mkdir(staging, 0o777) == 0 else { throw IOReason(text: Self.errorText()) }
            for (i, f) in files.enumerated() {
                let parts = f.name.split(separator: "/").map(String.init)
                var folder = staging
                for part in parts.dropLast() {
                    folder += "/" + part
                    if mkdir(folder, 0o777) != 0 && errno != EEXIST { throw IOReason(text: Self.errorText()) }
                }
                let contents: Data
                do { contents = try f.render() } catch {
                    Self.removeTree(staging)
                    release()
                    throw Failure.cannotEncode(file: f.name, reason: "\(error)")
                }
                // Every CSV gets a UTF-8 byte-order mark here, the one place all result files pass.
                try Self.writeFile(staging + "/" + f.name, f.name.hasSuffix(".csv") ? CSVExport.bytes(contents) : contents)
                if i == files.count / 2 { Self.testPause("staging") }
            }
            Self.testPause("staged")
            var st = stat()
            if lstat(target, &st) != 0 {
                guard rename(staging, target) == 0 else { throw IOReason(text: Self.errorText()) }
                committed = true
            } else if Self.exchange(staging, target) {
                // The old folder is now under the staging name.
                committed = true
                Self.testPause("committed")
                Self.removeTree(staging)
            } else {
                // No atomic exchange on this system or file system: set the old folder aside, put
                // the new one in place, remove the old (restored by the next run if killed between).
                let aside = asidePath
                guard rename(target, aside) == 0 else { throw IOReason(text: Self.errorText()) }
                guard rename(staging, target) == 0 else {
                    let reason = Self.errorText()
                    _ = rename(aside, target)
                    throw IOReason(text: reason)
                }
                committed = true
                Self.testPause("committed")
                Self.removeTree(aside)
            }
        } catch let error as Failure {
            throw error
        } catch let error as IOReason {
            Self.removeTree(staging)
            release()
            throw .notWritable(path: path, reason: error.text)
        } catch {
            Self.removeTree(staging)
            release()
            throw .notWritable(path: path, reason: "\(error)")
        }
        release()
    }

    /// Gives up the lock; without a commit, also removes the parents this run created.
    public func release() {
        // The lock file sits in the parent: remove it first, so that a parent this run created
        // is empty again and goes too.
        if lockFD >= 0 {
            unlink(lockPath)
            close(lockFD)
            lockFD = -1
        }
        if !committed { removeCreatedParents() }
    }

    // MARK: - File system helpers

    static func writeFile(_ path: String, _ data: Data) throws(IOReason) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw IOReason(text: errorText()) }
        defer { close(fd) }
        let failure: String? = data.withUnsafeBytes { raw -> String? in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errorText()
                }
                offset += n
            }
            return nil
        }
        if let failure { throw IOReason(text: failure) }
    }

    /// Removes a file or folder tree without following any symbolic link in it.
    static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            if let entries = try? FileManager.default.contentsOfDirectory(atPath: path) {
                for e in entries { removeTree(path + "/" + e) }
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// renameat2(a, b, RENAME_EXCHANGE): swaps two paths in one step (Linux ≥ 3.15, most local
    /// file systems). False when unavailable.
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let exchangeFlag: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, exchangeFlag) == 0
        #else
        return false
        #endif
    }

    static func errorText() -> String { String(cString: strerror(errno)) }

    static func testPause(_ phase: String) { TestHook.pause(at: phase) }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}

/// An errno text, thrown inside the writer.
struct IOReason: Error { let text: String }

/// Test hooks (tests only, documented in Documentation/Operations.md). `CREDITSIM_TEST_PAUSE=PHASE:SECONDS` sleeps at
/// PHASE after printing "test hook: paused at PHASE (pid N)" on stderr, so that a test can kill
/// or interrupt the run there. Phases: `locked`, `staging`, `staged`, `committed` (result
/// folder) and `contributions` (start of a contribution pass).
public enum TestHook {
    public static func pause(at phase: String) {
        guard let spec = ProcessInfo.processInfo.environment["CREDITSIM_TEST_PAUSE"] else { return }
        let parts = spec.split(separator: ":")
        guard parts.count == 2, parts[0] == phase, let seconds = Double(parts[1]) else { return }
        FileHandle.standardError.write(Data("test hook: paused at \(phase) (pid \(getpid()))\n".utf8))
        Thread.sleep(forTimeInterval: seconds)
    }

    /// `CREDITSIM_TEST_MARKS=1` prints "test hook: EVENT" on stderr at events a test waits for
    /// (the first finished block of a phase), so that it never waits a fixed time.
    public static func mark(_ event: String) {
        guard ProcessInfo.processInfo.environment["CREDITSIM_TEST_MARKS"] != nil else { return }
        FileHandle.standardError.write(Data("test hook: \(event)\n".utf8))
    }

    /// `CREDITSIM_TEST_INTERRUPT_AT_START=1`: the process sends itself SIGINT as soon as Ctrl-C is
    /// armed, then waits until `raised` (at most 60 s), so that a test can check a Ctrl-C in a
    /// run's first instant is not lost: the run must stop before its first block, however late
    /// the handler's thread runs, and a lost signal lets it finish (exit 0).
    public static func interruptAtStart(raised: () -> Bool) {
        guard ProcessInfo.processInfo.environment["CREDITSIM_TEST_INTERRUPT_AT_START"] != nil else { return }
        kill(getpid(), SIGINT)
        let end = Date().addingTimeInterval(60)
        while !raised() && Date() < end { Thread.sleep(forTimeInterval: 0.001) }
    }

    /// `CREDITSIM_TEST_REPORT_MEMORY=1`: the peak resident memory against the estimate, on stderr.
    public static func reportMemory(_ pipeline: RunPipeline, _ request: RunRequest, partition: RunPartition) {
        guard ProcessInfo.processInfo.environment["CREDITSIM_TEST_REPORT_MEMORY"] != nil,
              let estimate = try? pipeline.memoryEstimate(request, partition: partition) else { return }
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let hwm = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Double($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        FileHandle.standardError.write(Data(String(
            format: "test hook: peak resident %.0f bytes, estimate %.0f bytes (baseline %.0f, inputs %.0f, per-path %.0f, payouts %.0f, contributions %.0f, export %.0f, events %.0f)\n",
            hwm * 1024, estimate.total, estimate.baseline, estimate.inputs, estimate.perPath, estimate.payouts,
            estimate.contributions, estimate.export, estimate.events).utf8))
    }
}
