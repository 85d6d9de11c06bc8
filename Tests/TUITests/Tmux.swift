import Foundation
import Testing

let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data")

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

func binary(_ name: String) -> String {
    var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
        dir = dir.deletingLastPathComponent()
    }
    return ".build/debug/\(name)"
}

func temporaryFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("caisse-tui-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// Runs a program to completion; returns its standard output (and error).
///
/// posix_spawn + waitpid rather than Foundation's Process: tmux's client forks
/// the server as a daemon, and Process then never reports the client's exit.
@discardableResult
func run(_ path: String, _ arguments: [String]) throws -> String {
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("caisse-run-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var environment = ProcessInfo.processInfo.environment
    environment["CAISSE_DATA"] = dataDirectory.path
    environment["CAISSE_PIN"] = "1111"   // the demo cashiers' PIN, for `caisse sell`
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
    guard spawned == 0 else { throw TestFailure("cannot start \(path): error \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    // WIFEXITED && WEXITSTATUS == 0, spelled out (the C macros are not imported).
    guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
        throw TestFailure("\(path) \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
    }
    return text
}

var tmuxAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

/// A terminal for the real binary: a detached tmux session on a private
/// server socket, driven with send-keys and read with capture-pane.
final class Tmux {
    let socket = "caisse-test-\(UUID().uuidString.prefix(8))"
    let session = "till"

    /// Starts an interactive shell in a width × height window, with a UTF-8 locale.
    init(width: Int, height: Int) throws {
        try run("/usr/bin/tmux", ["-L", socket, "new-session", "-d", "-s", session, "-x", String(width), "-y", String(height),
                  "env", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=tmux-256color", "CAISSE_DATA=\(dataDirectory.path)",
                  "PS1=$ ", "bash", "--norc", "--noprofile"])
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        try run("/usr/bin/tmux", ["-L", socket] + arguments)
    }

    /// Types text literally (no key names), then optional named keys.
    func type(_ text: String) throws { try tmux(["send-keys", "-t", session, "-l", text]) }
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", session]) }

    /// Waits until the screen shows `text`; fails with the screen if it never does.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 20, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if last.contains(text) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TestFailure("screen never showed “\(text)”; it shows:\n\(last)")
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    /// Closes the window, as when a till's terminal goes away (its programs get SIGHUP).
    func close() { _ = try? tmux(["kill-session", "-t", session]) }

    // kill-session first: tmux 3.3's kill-server left servers (and their panes) running here.
    deinit {
        close()
        _ = try? tmux(["kill-server"])
    }
}
