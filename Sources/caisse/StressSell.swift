import ArgumentParser
import CaisseCore
import Foundation
import RegisterStore

/// Sells in a tight loop and prints each receipt number once it is durable.
/// Used by the crash test (SIGKILL mid-loop) and for soak runs; not for tills.
struct StressSell: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stress-sell", abstract: "Sell in a loop (testing).",
                                                    shouldDisplay: false)

    @OptionGroup var options: RegisterOptions

    @Option(help: "How many sales (0: until killed).")
    var count: Int = 0

    func run() throws {
        try reportingErrors {
            let store = try options.openStore()
            let me = try store.identity()
            let seller = try resolveCashier(store, username: nil)
            let productCount = Int64(try store.productCount())
            var n = 0
            while count == 0 || n < count {
                n += 1
                var cart = Cart()
                for k in 0..<3 {
                    let id = Int64((n * 7 + k * 13) % Int(productCount)) + 1
                    if let product = try store.product(id: id), product.active { try cart.add(product, quantity: 1 + k) }
                }
                var payment = Payment(total: cart.totals(me.taxRule).total)
                try payment.payExactCash()
                let sale = try store.recordSale(cart: cart, payment: payment, cashierId: seller.id)
                // Unbuffered: the test reads each line as soon as the sale is durable.
                FileHandle.standardOutput.write(Data("committed \(sale.receiptNumber) \(sale.lines.count)\n".utf8))
            }
        }
    }
}
