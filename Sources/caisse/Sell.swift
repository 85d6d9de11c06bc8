import ArgumentParser
import CaisseAPI
import CaisseCore
import RegisterStore
import Foundation

struct Sell: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sell items and print the receipt.",
        discussion: """
            Items are barcodes or SKUs, with an optional quantity: TIM-0001 2000000000022:3. \
            Tenders, applied in order: cash (exact), cash:20.00 (amount given), card:REF (the rest), \
            card:REF:10.00 (a part). The sale is recorded only when fully paid. \
            Promotions running in the store apply by themselves. Discounts, each with a reason \
            (damaged, price_match, loyalty, staff, goodwill, other): --discount 1:10%:loyalty (the first \
            item's line, 10 % off), --discount 2:0.50:damaged (0.50 $ off the line), --discount 2:=1.99:price_match \
            (a new unit price), --sale-discount 5%:goodwill. Beyond the store's limit a manager approves: \
            --approver gerant.cv, whose PIN comes from $CAISSE_APPROVER_PIN or the next line of standard input.
            """)

    @OptionGroup var options: RegisterOptions

    @Argument(help: "Items: CODE or CODE:QUANTITY.")
    var items: [String]

    @Option(name: .long, help: "A tender: cash, cash:AMOUNT, card:REF or card:REF:AMOUNT (repeatable).")
    var pay: [String] = []

    @Option(help: "Username of the cashier (default: the store's first cashier). Their PIN: $CAISSE_PIN or standard input.")
    var cashier: String?

    @Option(help: "A line's discount: ITEM:10%:REASON, ITEM:AMOUNT:REASON or ITEM:=PRICE:REASON (ITEM counts the items from 1; repeatable).")
    var discount: [String] = []

    @Option(name: .customLong("sale-discount"), help: "A discount on the whole sale: 5%:REASON or AMOUNT:REASON.")
    var saleDiscount: String?

    @Option(help: "The manager who approves discounts beyond the store's limit ($CAISSE_APPROVER_PIN or standard input).")
    var approver: String?

    func run() throws {
        try reportingErrors {
            guard !items.isEmpty else { throw Failure("no item to sell") }
            guard !pay.isEmpty else { throw Failure("no tender: add --pay cash, --pay cash:AMOUNT or --pay card:REF") }
            let store = try options.openStore()
            let me = try store.identity()
            let seller = try authenticate(store, username: cashier)
            var cart = Cart()
            cart.offers = try store.runningPromotions(at: nowMillis())
            var lineOfItem: [Int] = []
            for item in items {
                let (code, quantity) = try parseItem(item)
                guard let product = try store.product(code: code) else { throw Failure("unknown product '\(code)'") }
                lineOfItem.append(try cart.add(product, quantity: quantity).lineNo)
            }
            var approvedBy: Int64?
            if let approver {
                approvedBy = try authenticate(store, username: approver, needs: .manager, pinVariable: "CAISSE_APPROVER_PIN").id
            }
            for text in discount {
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, let index = Int(parts[0]), lineOfItem.indices.contains(index - 1) else {
                    throw Failure("'\(text)' is not a line discount (ITEM:SPEC:REASON, ITEM from 1 to \(items.count))")
                }
                try cart.setDiscount(try parseDiscount(parts[1], approvedBy: approvedBy, line: true), lineNo: lineOfItem[index - 1])
            }
            if let saleDiscount { try cart.setSaleDiscount(try parseDiscount(saleDiscount, approvedBy: approvedBy, line: false)) }
            var payment = Payment(total: cart.totals(me.taxRule).total)
            for tender in pay { try apply(tender, to: &payment) }
            guard payment.isComplete else {
                throw Failure("\(payment.remaining.formatted(options.language)) still due: the sale was not recorded")
            }
            let sale = try store.recordSale(cart: cart, payment: payment, cashierId: seller.id)
            print(Receipt(language: options.language).render(sale, header: try receiptHeader(store, cashierId: seller.id, at: sale.createdAt)), terminator: "")
        }
    }

    /// "10%:loyalty", "0.50:damaged", "=1.99:price_match".
    func parseDiscount(_ text: String, approvedBy: Int64?, line: Bool) throws -> ManualDiscount {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let reasons = DiscountReason.allCases.map(\.rawValue)
        guard parts.count == 2, reasons.contains(parts[1]) else {
            throw Failure("'\(text)' is not a discount: SPEC:REASON, the reason one of \(reasons.joined(separator: ", "))")
        }
        let spec = parts[0]
        let rule: ManualDiscount.Rule
        if spec.hasSuffix("%") {
            guard let micros = PercentText.micros(spec) else { throw Failure("'\(spec)': a percent above 0, at most 100") }
            rule = .percent(micros: micros)
        } else if spec.hasPrefix("=") {
            guard line else { throw Failure("a new price (=PRICE) is for a line, not the whole sale") }
            rule = .price(try Money.parse(String(spec.dropFirst())))
        } else {
            rule = .amount(try Money.parse(spec))
        }
        return ManualDiscount(rule: rule, reason: parts[1], approvedBy: approvedBy)
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
