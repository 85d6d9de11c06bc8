import ArgumentParser
import CaisseCore
import Foundation
import RegisterStore

@main
struct Caisse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caisse",
        abstract: "Caisse: the register of a retail chain, over a local SQLite store that keeps selling offline.",
        subcommands: [Tui.self, Init.self, Enroll.self, SyncCommand.self, Search.self, Sell.self, Return.self, Adjust.self, Count.self, Transfer.self, Stock.self, ReprintReceipt.self, PrinterCommand.self,
                      Journal.self, Demo.self, StressSell.self],
        defaultSubcommand: Tui.self)

    /// Everything the till writes (its database with the staff's PIN hashes and
    /// the register's token, receipts, reports) is readable by its owner only.
    static func main() async {
        umask(0o077)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Options every register command takes.
struct RegisterOptions: ParsableArguments {
    @Option(name: .long, help: "The register's SQLite file (default: $CAISSE_DB or ./caisse.sqlite).")
    var db: String?

    @Option(name: .long, help: "Language of receipts and messages: fr or en (default: from LANG).")
    var lang: Language?

    var databasePath: String {
        db ?? ProcessInfo.processInfo.environment["CAISSE_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "caisse.sqlite"
    }

    var language: Language {
        if let lang { return lang }
        let env = ProcessInfo.processInfo.environment
        let locale = env["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LANG"] ?? ""
        return locale.lowercased().hasPrefix("en") ? .en : .fr
    }
}

extension Language: ExpressibleByArgument {}

/// A command-line mistake or a refusal: one line on stderr, exit code 1.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// 3 for a damaged till database (stop selling, replace the register), else 1.
func exitCode(for error: any Error) -> ExitCode {
    (error as? StoreError)?.isDamage == true || RegisterStore.isCorruption(error) ? ExitCode(3) : .failure
}

/// `reportingErrors` for async commands.
func reportingErrorsAsync(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("caisse: \(error)\n".utf8))
        throw exitCode(for: error)
    }
}

/// Runs a command body so that any error becomes one clear line and exit 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("caisse: \(error)\n".utf8))
        throw exitCode(for: error)
    }
}
