import ArgumentParser
import CaisseCore
import RegisterStore

struct Return: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take back items of an earlier sale of this register and print the refund receipt.",
        discussion: """
            Lines are the sale's line numbers with an optional quantity: 1 3:2. Use --all for everything not yet returned. \
            The refund goes back to the original tender by default (the card it was paid with, else cash). A cash refund \
            of a card sale, or a refund above \(RefundApproval.defaultLimit.description) $, needs a manager: --approver USER, \
            whose PIN comes from $CAISSE_APPROVER_PIN or the next line of standard input (a manager as --cashier needs nobody).
            """)

    @OptionGroup var options: RegisterOptions

    @Argument(help: "The sale's receipt number.")
    var receipt: String

    @Argument(help: "Lines to return: LINE (one unit) or LINE:QUANTITY.")
    var lines: [String] = []

    @Flag(help: "Return every unit of the sale not yet returned.")
    var all = false

    @Option(help: "How to refund: cash, or card:REF (default: the original tender).")
    var refund: String?

    @Option(help: "The manager approving at the till, when the refund needs one.")
    var approver: String?

    @Option(help: "Username of the cashier (default: the store's first cashier). Their PIN: $CAISSE_PIN or standard input.")
    var cashier: String?

    func run() throws {
        try reportingErrors {
            let store = try options.openStore()
            let seller = try authenticate(store, username: cashier)
            guard let sale = try store.sale(receiptNumber: receipt) else {
                throw Failure("no sale with receipt number \(receipt) at this register")
            }
            var requested: [ReturnRequestLine] = []
            if all {
                guard lines.isEmpty else { throw Failure("give either --all or lines, not both") }
                let returned = try store.returnedQuantities(saleId: sale.id)
                requested = sale.lines.compactMap { l in
                    let left = l.quantity - (returned[l.lineNo] ?? 0)
                    return left > 0 ? ReturnRequestLine(lineNo: l.lineNo, quantity: left) : nil
                }
                guard !requested.isEmpty else { throw Failure("everything of \(receipt) was already returned") }
            } else {
                guard !lines.isEmpty else { throw Failure("choose lines to return (e.g. 1 3:2) or --all") }
                requested = try lines.map(parseLine)
            }
            let originalCard = sale.tenders.first { $0.kind == .card }?.reference
            let refund = self.refund ?? (RefundApproval.defaultKind(for: sale) == .card ? "card:\(originalCard ?? "")" : "cash")
            var approvedBy: Int64?
            if let approver {
                let manager = try authenticate(store, username: approver, needs: .manager, pinVariable: "CAISSE_APPROVER_PIN")
                approvedBy = manager.id
            }
            let parts = refund.split(separator: ":", maxSplits: 1).map(String.init)
            let ret: SaleReturn
            switch (parts.first?.lowercased(), parts.count) {
            case ("cash", 1):
                ret = try store.recordReturn(receiptNumber: receipt, lines: requested, refundKind: .cash, cashierId: seller.id, approvedBy: approvedBy)
            case ("card", 2):
                ret = try store.recordReturn(receiptNumber: receipt, lines: requested, refundKind: .card, cardReference: parts[1],
                                             cashierId: seller.id, approvedBy: approvedBy)
            default:
                throw Failure("'\(refund)' is not a refund (cash or card:REF)")
            }
            print(Receipt(language: options.language).render(ret, header: try receiptHeader(store, cashierId: seller.id, at: ret.createdAt)), terminator: "")
        }
    }

    func parseLine(_ text: String) throws -> ReturnRequestLine {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let line = Int(parts[0]) else { throw Failure("'\(text)' is not a line (LINE or LINE:QUANTITY)") }
        guard parts.count == 2 else { return ReturnRequestLine(lineNo: line, quantity: 1) }
        guard let quantity = Int(parts[1]) else { throw Failure("'\(parts[1])' in '\(text)' is not a quantity") }
        return ReturnRequestLine(lineNo: line, quantity: quantity)
    }
}
