import ArgumentParser
import CaisseCore
import Foundation
import RegisterStore

struct Adjust: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Declare waste, breakage, theft, goods found or a correction of the store's stock.",
        discussion: """
            Items are CODE:UNITS. For waste, breakage and theft the units are what left the shelf \
            (BEI-0001:6: six donuts thrown away); for found, what turned up; a correction is signed \
            (MUF-0001:-2, MUF-0001:+3). Journaled like a sale, synced to central, applied offline too. \
            Made by an employee or a manager (--by, PIN from $CAISSE_PIN or standard input); worth more \
            at retail than the store's limit, it needs --approver (a manager, PIN from $CAISSE_APPROVER_PIN).
            """)

    @OptionGroup var options: RegisterOptions

    @Option(help: "waste, breakage, theft, found or correction.") var reason: String
    @Argument(help: "Items: CODE:UNITS.") var items: [String] = []
    @Option(help: "What happened (at most 200 characters).") var note: String?
    @Option(help: "Username of the employee or manager making it (default: the store's first employee).") var by: String?
    @Option(help: "The manager who approves it beyond the store's limit.") var approver: String?

    func run() throws {
        try reportingErrors {
            guard let reason = AdjustmentReason(rawValue: reason), reason.isDeclarable else {
                throw Failure("--reason: one of \(AdjustmentReason.declarable.map(\.rawValue).joined(separator: ", "))")
            }
            guard !items.isEmpty else { throw Failure("no item to adjust: give CODE:UNITS") }
            let store = try options.openStore()
            var lines: [(productId: Int64, quantity: Int)] = []
            for item in items {
                let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, Int(parts[1]) != nil else {
                    throw Failure("'\(item)' is not an item: CODE:UNITS")
                }
                guard let product = try store.product(code: parts[0]) else { throw Failure("unknown product '\(parts[0])'") }
                guard let signed = reason.quantity(typed: parts[1]) else {
                    throw Failure(reason == .correction ? "'\(item)': a correction is signed, +UNITS or -UNITS"
                                                        : "'\(item)': give the units \(reason == .found ? "found" : "that left the shelf"), unsigned")
                }
                lines.append((product.id, signed))
            }
            let person = try authenticate(store, username: by ?? defaultEmployee(store), needs: .employee)
            var approvedBy: Int64?
            if let approver {
                approvedBy = try authenticate(store, username: approver, needs: .manager, pinVariable: "CAISSE_APPROVER_PIN").id
            }
            let adjustment = try store.recordAdjustment(reason: reason, lines: lines, note: note, by: person.id, approvedBy: approvedBy)
            let fr = options.language == .fr
            print((fr ? "Ajustement " : "Adjustment ") + adjustment.id.prefix(8) + " (" + reason.label(options.language) + ")")
            for l in adjustment.lines {
                print("  " + padded(l.sku, 10) + padded(l.name, 36) + leftPadded((l.quantity > 0 ? "+" : "") + String(l.quantity), 6)
                      + leftPadded(l.value.formatted(options.language), 14))
            }
            print((fr ? "Valeur au détail : " : "Value at retail: ") + adjustment.value.formatted(options.language))
        }
    }
}
