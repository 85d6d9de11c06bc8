import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import Testing
@testable import CentralStore

/// Issue 24: what a till sends is never a key of an aggregate nor a label of a report before
/// central has checked it against its own closed set; cashiers and approvers are users of the
/// store who sign in at a till, never an administrator.
@Suite("Closed sets only as keys", .postgresDatabases)
struct ClosedSetTests {
    /// An honest sale of two coffees with a 10 % goodwill discount, as JSON to bend, and the journal before it.
    static func discountedSale(_ till: Till) throws -> (object: [String: Any], before: [SyncEvent]) {
        var cart = Cart()
        try cart.add(try till.product(2), quantity: 2)
        try cart.setDiscount(ManualDiscount(rule: .percent(micros: 100_000), reason: DiscountReason.goodwill.rawValue), lineNo: 1)
        let sale = try till.sell(cart)
        let object = try JSONSerialization.jsonObject(with: try WireJSON.encoder.encode(sale)) as! [String: Any]   // allowed: test fixture
        return (object, Array(try till.events().dropLast()))
    }

    static func bent(_ object: [String: Any], _ change: (inout [String: Any], inout [String: Any]) -> Void) -> [String: Any] {
        var o = object
        var lines = o["lines"] as! [[String: Any]]   // allowed: test fixture
        var discounts = lines[0]["discounts"] as! [[String: Any]]   // allowed: test fixture
        change(&o, &discounts[0])
        lines[0]["discounts"] = discounts
        if let name = o["_lineName"] as? String { lines[0]["name"] = name; o["_lineName"] = nil }
        o["lines"] = lines
        return o
    }

    @Test(arguments: StoreKind.allCases)
    func tillStringsAreNeverKeysOrLabels(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await central.enrol(till, storeId: 1)
        let (honest, before) = try Self.discountedSale(till)
        var journal = before
        if !before.isEmpty { _ = try await central.ingest(registerId: "CV-1", events: before) }
        func push(_ object: [String: Any], id: String) async throws -> [ExceptionKind] {
            var o = object
            o["id"] = id
            let event = TrustBoundaryTests.forge(after: journal, registerId: "CV-1", payload: try TrustBoundaryTests.json(o))
            journal.append(event)
            guard case .applied(_, 1, let found) = try await central.ingest(registerId: "CV-1", events: [event]) else {
                Issue.record("refused"); return []
            }
            return found
        }
        // A hundred sales each with a reason of its own: quarantined, the aggregate untouched.
        for i in 0..<100 {
            let found = try await push(Self.bent(honest) { _, d in d["reason"] = "reason-\(i)" }, id: "r\(i)")
            #expect(found == [.invalidDocument])
        }
        // The product's name and the discount's label come from central, whatever the till wrote.
        let renamed = Self.bent(honest) { o, d in d["label"] = "TILL LABEL"; o["_lineName"] = "Till's own name" }
        #expect(try await push(renamed, id: "renamed") == [])
        let rows = try await central.discountRows(from: Day(number: 0), to: Day(number: 100_000))
        #expect(Set(rows.compactMap(\.reason)) == ["goodwill"])
        #expect(rows.allSatisfy { $0.label == nil })
        let products = try await central.reportRows(from: Day(number: 0), to: Day(number: 100_000)).products
        #expect(products.map(\.name) == ["Café filtre moyen"])
        // Cashiers and approvers: users central issued, never an administrator.
        let admin = try #require(demoChain.users.first { $0.role == .admin })
        #expect(try await push(Self.bent(honest) { o, _ in o["cashierId"] = 987_654 }, id: "ghost") == [.unknownReference])
        #expect(try await push(Self.bent(honest) { o, _ in o["cashierId"] = admin.id }, id: "admin") == [.foreignReference])
        #expect(try await push(Self.bent(honest) { _, d in d["approvedBy"] = admin.id }, id: "admin-approves") == [.foreignReference])
        #expect(try await push(Self.bent(honest) { _, d in d["approvedBy"] = 987_654 }, id: "ghost-approves") == [.unknownReference])
        #expect(try await central.discountRows(from: Day(number: 0), to: Day(number: 100_000)).count == rows.count)
    }
}
