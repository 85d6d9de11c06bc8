import ArgumentParser
import CaisseAPI
import CaisseCore
import RegisterStore

struct Sell: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sell items and print the receipt.",
        discussion: """
            Items are barcodes or SKUs, with an optional quantity: TIM-0001 2000000000022:3.
            Tenders, applied in order: cash (exact), cash:20.00 (amount given), card:REF (the rest),
            card:REF:10.00 (a part). The sale is recorded only when fully paid.
            """)

    @OptionGroup var options: RegisterOptions

    @Argument(help: "Items: CODE or CODE:QUANTITY.")
    var items: [String]

    @Option(name: .long, help: "A tender: cash, cash:AMOUNT, card:REF or card:REF:AMOUNT (repeatable).")
    var pay: [String] = []

    @Option(help: "Username of the cashier (default: the store's first cashier). Their PIN: $CAISSE_PIN or standard input.")
    var cashier: String?

    func run() throws {
        try reportingErrors {
            guard !items.isEmpty else { throw Failure("no item to sell") }
            guard !pay.isEmpty else { throw Failure("no tender: add --pay cash, --pay cash:AMOUNT or --pay card:REF") }
            let store = try options.openStore()
            let me = try store.identity()
            let seller = try authenticate(store, username: cashier)
            var cart = Cart()
            for item in items {
                let (code, quantity) = try parseItem(item)
                guard let product = try store.product(code: code) else { throw Failure("unknown product '\(code)'") }
                try cart.add(product, quantity: quantity)
            }
            var payment = Payment(total: cart.totals(me.taxRule).total)
            for tender in pay { try apply(tender, to: &payment) }
            guard payment.isComplete else {
                throw Failure("\(payment.remaining.formatted(options.language)) still due: the sale was not recorded")
            }
            let sale = try store.recordSale(cart: cart, payment: payment, cashierId: seller.id)
            print(Receipt(language: options.language).render(sale, header: try receiptHeader(store, cashierId: seller.id, at: sale.createdAt)), terminator: "")
        }
    }

    func parseItem(_ item: String) throws -> (String, Int) {
        let parts = item.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty else { throw Failure("'\(item)' is not an item (CODE or CODE:QUANTITY)") }
        guard parts.count == 2 else { return (String(parts[0]), 1) }
        guard let quantity = Int(parts[1]) else { throw Failure("'\(parts[1])' in '\(item)' is not a quantity") }
        return (String(parts[0]), quantity)
    }

    func apply(_ tender: String, to payment: inout Payment) throws {
        let parts = tender.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first?.lowercased(), parts.count) {
        case ("cash", 1):
            try payment.payExactCash()
        case ("cash", 2):
            try payment.payCash(given: try Money.parse(parts[1]))
        case ("card", 2):
            try payment.payCard(reference: parts[1])
        case ("card", 3):
            try payment.payCard(amount: try Money.parse(parts[2]), reference: parts[1])
        default:
            throw Failure("'\(tender)' is not a tender (cash, cash:AMOUNT, card:REF, card:REF:AMOUNT)")
        }
    }
}
