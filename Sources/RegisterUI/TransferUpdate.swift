import CaisseAPI
import CaisseCore
import ScreenKit

extension AppState {
    /// F9 on the stock screen: the store's transfers. ↑↓ pick one; Enter ships a request made of
    /// this store or receives what is on its way; F6 sends the product selected on the stock
    /// screen to another store, F7 asks another store for it; Esc goes back.
    mutating func transferKey(_ key: Key, _ s: inout StockViewState, _ user: User) -> [Effect] {
        guard var t = s.transfers else { return [] }
        defer { if s.transfers != nil { s.transfers = t } }
        if t.prompt != nil { return transferPromptKey(key, &t, user) }
        switch key {
        case .up: t.selected = max(0, t.selected - 1)
        case .down: t.selected = min(max(0, t.rows.count - 1), t.selected + 1)
        case .enter:
            guard t.rows.indices.contains(t.selected) else { break }
            let row = t.rows[t.selected]
            if row.canShip {
                t.prompt = .ship(units: String(row.transfer.requested))
            } else if row.canReceive {
                t.prompt = .receive(good: String(row.transfer.shipped ?? 0), damaged: "0", onDamaged: false)
            } else {
                flash = .info(row.outgoing ? tr(.thisTransferWaitsForTheOther)
                                           : tr(.nothingToReceiveNotShippedYet))
            }
        case .function(6), .function(7):
            guard let product = t.product else {
                flash = .error(tr(.pickAnItemOnTheStock))
                break
            }
            guard !t.stores.isEmpty else { flash = .error(tr(.noOtherStoreKnown)); break }
            t.prompt = .new(send: key == .function(6), product: product, store: 0, units: "")
        case .escape:
            s.transfers = nil
        default: break
        }
        return []
    }

    private mutating func transferPromptKey(_ key: Key, _ t: inout TransferSheet, _ user: User) -> [Effect] {
        guard let prompt = t.prompt else { return [] }
        func edited(_ text: String) -> String? {
            switch key {
            case .char(let c) where c.isASCII && c.isNumber: return text.count < 4 ? text + String(c) : text
            case .backspace: return String(text.dropLast())
            default: return nil
            }
        }
        if key == .escape { t.prompt = nil; return [] }
        let row = t.rows.indices.contains(t.selected) ? t.rows[t.selected] : nil
        switch prompt {
        case .ship(let units):
            if let text = edited(units) { t.prompt = .ship(units: text); return [] }
            guard key == .enter, let row else { return [] }
            guard let n = Int(units), (1...Quantity.maximumPerLine).contains(n) else {
                flash = .error(tr(.ship1To9999Units))
                return []
            }
            return [.shipTransfer(id: row.transfer.id, units: n, by: user.id)]
        case .receive(let good, let damaged, let onDamaged):
            if key == .tab { t.prompt = .receive(good: good, damaged: damaged, onDamaged: !onDamaged); return [] }
            if let text = edited(onDamaged ? damaged : good) {
                t.prompt = onDamaged ? .receive(good: good, damaged: text, onDamaged: true) : .receive(good: text, damaged: damaged, onDamaged: false)
                return []
            }
            guard key == .enter, let row else { return [] }
            guard let g = Int(good), let d = Int(damaged.isEmpty ? "0" : damaged) else {
                flash = .error(tr(.typeTheGoodUnitsAndThe))
                return []
            }
            return [.receiveTransfer(id: row.transfer.id, good: g, damaged: d, by: user.id)]
        case .new(let send, let product, let store, let units):
            if key == .tab { t.prompt = .new(send: send, product: product, store: (store + 1) % max(1, t.stores.count), units: units); return [] }
            if let text = edited(units) { t.prompt = .new(send: send, product: product, store: store, units: text); return [] }
            guard key == .enter, t.stores.indices.contains(store) else { return [] }
            guard let n = Int(units), (1...Quantity.maximumPerLine).contains(n) else {
                flash = .error(tr(.type1To9999Units))
                return []
            }
            return [.newTransfer(send: send, storeId: t.stores[store].id, productId: product.productId, units: n, by: user.id)]
        }
    }

    /// Answers to the transfer sheet's effects.
    mutating func transferResult(_ message: Message, _ s: inout StockViewState) -> [Effect]? {
        switch message {
        case .transfersLoaded(let rows, let stores) where s.transfers != nil:
            guard var t = s.transfers else { return [] }
            t.rows = rows
            t.stores = stores
            t.loaded = true
            t.selected = min(t.selected, max(0, rows.count - 1))
            s.transfers = t
            return []
        case .transferDone(let word) where s.transfers != nil:
            flash = .info(tr(word))
            s.transfers?.prompt = nil
            return [.loadTransfers] + s.refilter()
        default:
            return nil
        }
    }
}
