import ArgumentParser
import CaisseCore
import Foundation
import RegisterStore

struct Count: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count the store's stock: start, add what is on the shelves, show book against counted, confirm.",
        discussion: """
            caisse count start [--category NAME | --shelf NAME]
                                                   the whole store, one category, or one shelf
            caisse count add CODE[:UNITS]…         a scan adds one unit; CODE:UNITS adds that many
            caisse count show                      book, counted, difference and its value, product by product
            caisse count confirm [--zero-uncounted]
                                                   posts every difference as one correction (journaled, synced);
                                                   --zero-uncounted: what the store or category has and nobody
                                                   counted is taken as gone (never for a shelf)
            caisse count cancel
            Sales go on during a count: a product's difference is taken against its book stock at the moment \
            it was first counted. Made by an employee or a manager (--by, PIN from $CAISSE_PIN or standard input); \
            differences worth more at retail than the store's limit need --approver ($CAISSE_APPROVER_PIN).
            """,
        subcommands: [Start.self, Add.self, Show.self, Confirm.self, Cancel.self])

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a count of the whole store, of one category or of one shelf.")
        @OptionGroup var options: RegisterOptions
        @Option(help: "Only this category.") var category: String?
        @Option(help: "Only what is on this shelf (e.g. A3): any product scanned there, the rest untouched.") var shelf: String?
        @Option(help: "Username of the employee or manager counting.") var by: String?
        func run() throws {
            try reportingErrors {
                let store = try options.openStore()
                let person = try authenticate(store, username: by ?? defaultEmployee(store), needs: .employee)
                if category != nil, shelf != nil { throw Failure("count a category or a shelf, not both") }
                let count = try store.startCount(scope: shelf.map(CountScope.shelf) ?? category.map(CountScope.category) ?? .store, by: person.id)
                print("count \(count.id.prefix(8)) started: \(count.scope)")
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add units counted: CODE (one) or CODE:UNITS.")
        @OptionGroup var options: RegisterOptions
        @Argument(help: "CODE or CODE:UNITS.") var items: [String] = []
        func run() throws {
            try reportingErrors {
                guard !items.isEmpty else { throw Failure("nothing counted: give CODE or CODE:UNITS") }
                let store = try options.openStore()
                var parsed: [(Int64, Int)] = []
                for item in items {
                    let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                    guard (1...2).contains(parts.count), !parts[0].isEmpty, let units = parts.count == 2 ? Int(parts[1]) : 1, units > 0 else {
                        throw Failure("'\(item)' is not a count: CODE or CODE:UNITS (UNITS above 0)")
                    }
                    guard let product = try store.product(code: parts[0]) else { throw Failure("unknown product '\(parts[0])'") }
                    parsed.append((product.id, units))
                }
                for (id, units) in parsed { try store.count(productId: id, units: units) }
                try Show.print(store, options.language)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Book against counted, product by product, with each difference's value.")
        @OptionGroup var options: RegisterOptions
        func run() throws {
            try reportingErrors { try Show.print(try options.openStore(), options.language) }
        }

        static func print(_ store: RegisterStore, _ language: Language) throws {
            guard let count = try store.currentCount() else { throw Failure("no count under way: caisse count start") }
            Swift.print(padded("SKU", 10) + padded(language == .fr ? "Article" : "Item", 36) + leftPadded(language == .fr ? "Livres" : "Book", 8)
                        + leftPadded(language == .fr ? "Compté" : "Counted", 8) + leftPadded(language == .fr ? "Écart" : "Diff.", 7)
                        + leftPadded(language == .fr ? "Valeur" : "Value", 13))
            for l in count.lines {
                Swift.print(padded(l.sku, 10) + padded(l.name, 36) + leftPadded(String(l.book), 8) + leftPadded(String(l.counted), 8)
                            + leftPadded((l.difference > 0 ? "+" : "") + String(l.difference), 7) + leftPadded(l.value.formatted(language), 13))
            }
            Swift.print((language == .fr ? "Écarts au détail : " : "Differences at retail: ") + count.differenceValue.formatted(language))
        }
    }

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Post the differences as one correction and close the count.")
        @OptionGroup var options: RegisterOptions
        @Option(help: "Username of the employee or manager confirming.") var by: String?
        @Option(help: "The manager who approves differences beyond the store's limit.") var approver: String?
        @Flag(help: "Products of the store or category that nobody counted are counted at 0.") var zeroUncounted = false
        func run() throws {
            try reportingErrors {
                let store = try options.openStore()
                let person = try authenticate(store, username: by ?? defaultEmployee(store), needs: .employee)
                var approvedBy: Int64?
                if let approver { approvedBy = try authenticate(store, username: approver, needs: .manager, pinVariable: "CAISSE_APPROVER_PIN").id }
                if let adjustment = try store.confirmCount(by: person.id, approvedBy: approvedBy, zeroUncounted: zeroUncounted) {
                    print("count confirmed: \(adjustment.lines.count) correction(s), \(adjustment.value.formatted(options.language)) at retail")
                } else {
                    print("count confirmed: the shelves match the books")
                }
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop the count under way (nothing is posted).")
        @OptionGroup var options: RegisterOptions
        func run() throws {
            try reportingErrors {
                try options.openStore().cancelCount()
                print("count cancelled")
            }
        }
    }
}

/// The store's first active employee: who adjusts or counts when no --by is given.
func defaultEmployee(_ store: RegisterStore) throws -> String? {
    let me = try store.identity()
    return try store.users().first { $0.storeId == me.store.id && $0.role == .employee && $0.active }?.username
}
