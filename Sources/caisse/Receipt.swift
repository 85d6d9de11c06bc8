import ArgumentParser
import CaisseCore
import RegisterStore

struct ReprintReceipt: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "receipt", abstract: "Print again the receipt of a sale of this register.")

    @OptionGroup var options: RegisterOptions

    @Argument(help: "The receipt number.")
    var number: String

    func run() throws {
        try reportingErrors {
            let store = try options.openStore()
            guard let sale = try store.sale(receiptNumber: number) else { throw Failure("no sale with receipt number \(number) at this register") }
            let header = try receiptHeader(store, cashierId: sale.cashierId, at: sale.createdAt)
            print(Receipt(language: options.language).render(sale, header: header), terminator: "")
        }
    }
}
