import Foundation

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// The folder of our built binaries (the test bundle sits next to them).
let binaries: URL = {
    var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        if FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("caisse-central").path) { return dir }
        dir = dir.deletingLastPathComponent()
    }
    return repository.appendingPathComponent(".build/debug")
}()

func onPath(_ name: String) -> Bool {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let folders: [String] = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
    return folders.contains { (folder: String) in FileManager.default.isExecutableFile(atPath: folder + "/" + name) }
}

struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), which Swift's Glibc module does not show.
private func closeFrom3(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>) {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
    _ = unsafeBitCast(symbol, to: CloseFrom.self)(actions, 3)
}

/// Runs a program to completion with extra environment variables (blocking:
/// call from a thread of its own, or briefly). posix_spawn + waitpid rather
/// than Foundation's Process: scripts/cluster leaves daemons behind, and
/// Process could miss the script's exit; output goes to files, so a daemon
/// holding a pipe open cannot keep us waiting; fds above 2 are closed in the
/// child, so the daemons hold none of ours.
@discardableResult
func execute(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Output {
    let stem = FileManager.default.temporaryDirectory.appendingPathComponent("caisse-exec-\(UUID().uuidString)").path
    let outPath = stem + ".out", errPath = stem + ".err"
    defer { unlink(outPath); unlink(errPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    closeFrom3(&actions)
    let absolute = executable.hasPrefix("/")
    let path = absolute ? executable : "/usr/bin/env"
    let argv = [path] + (absolute ? [] : [executable]) + arguments
    let env = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }.map { "\($0.key)=\($0.value)" }
    let cArgv = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup($0) } + [nil]
    defer { (cArgv + cEnv).forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, nil, cArgv, cEnv)
    guard spawned == 0 else { throw TestFailure("cannot run \(executable): \(String(cString: strerror(spawned)))") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    func read(_ file: String) -> String { (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" }
    return Output(status: code, stdout: read(outPath), stderr: read(errPath))
}

func ours(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Output {
    try execute(binaries.appendingPathComponent(name).path, arguments, environment: environment)
}

/// Runs and requires exit 0.
@discardableResult
func must(_ output: Output, _ what: String) throws -> String {
    guard output.status == 0 else { throw TestFailure("\(what) exited \(output.status): \(output.stderr)\(output.stdout)") }
    return output.stdout
}

/// `scripts/cluster` in its own folder, taken down when the test ends (even on failure).
final class Cluster: @unchecked Sendable {
    let folder: URL
    let values: [String: String]

    var url: String { values["url"] ?? "" }
    var caFile: String { values["ca_file"] ?? "" }
    var database: String { values["database"] ?? "" }
    var instances: [String] { (values["instances"] ?? "").split(separator: " ").map(String.init) }
    var prometheus: String? { values["prometheus"] }

    /// Every request in each instance's log and nginx's access log (issue 29: one id from till to central).
    let logs: Bool

    init(instances: Int, prometheus: Bool, logs: Bool = false) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("caisse-scale-\(UUID().uuidString.prefix(8))")
        self.logs = logs
        let output = try Cluster.script(folder, ["up", String(instances)], prometheus: prometheus, logs: logs)
        guard output.status == 0 else {
            _ = try? Cluster.script(folder, ["down"], prometheus: false)
            throw TestFailure("scripts/cluster up failed: \(output.stderr)")
        }
        var values: [String: String] = [:]
        for line in output.stdout.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            values[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        self.values = values
    }

    static func script(_ folder: URL, _ arguments: [String], prometheus: Bool, logs: Bool = false) throws -> Output {
        var env = ["CLUSTER_DIR": folder.path, "CAISSE_BIN": binaries.path, "CAISSE_CENTRAL_DB": ""]
        if prometheus { env["CLUSTER_PROMETHEUS"] = "1" }
        if logs {
            env["CLUSTER_LOG_LEVEL"] = "info"
            env["CLUSTER_ACCESS_LOG"] = "1"
        }
        return try execute(repository.appendingPathComponent("scripts/cluster").path, arguments, environment: env)
    }

    @discardableResult
    func run(_ arguments: String...) throws -> String {
        try must(try Cluster.script(folder, arguments, prometheus: false, logs: logs), "scripts/cluster \(arguments.joined(separator: " "))")
    }

    /// Rows of a query on central's PostgreSQL, fields split on '|'.
    func sql(_ query: String) throws -> [[String]] {
        try must(try execute("psql", [database, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", query]), "psql")
            .split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    func down() {
        // SCALE_KEEP=1 leaves the cluster and the tills' databases for a look after a failure.
        if ProcessInfo.processInfo.environment["SCALE_KEEP"] == "1" { return }
        _ = try? Cluster.script(folder, ["down"], prometheus: false)
    }
    deinit { down() }
}
