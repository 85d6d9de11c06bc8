import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import HTTPTypes
import Hummingbird

/// The web storefront (issue 27), server-rendered HTML with no script: a store's catalog and
/// what it can promise, a cart, checkout for pickup, order status, sign-up and sign-in, points
/// and their history, export and erasure of one's data. French and English. Customer sessions
/// live in their own cookie and table, apart from staff; every form carries a CSRF token.
struct ShopRoutes {
    let service: CentralService
    static let sessionCookie = "caisse_shop"
    static let formCookie = "caisse_form"
    static let languageCookie = "caisse_lang"
    static let pageSize = 24

    /// What a page knows about who is asking.
    struct Visit {
        var words: ShopWords
        var session: CustomerSession?
        var token: String?
        var cookies: [Cookie] = []
        var language: Language { words.lang == "en" ? .en : .fr }
    }

    func register(on router: Router<CentralContext>) {
        let shop = router.group("shop")
        shop.get { request, _ in try await handle(request) { visit in try await stores(visit) } }
        shop.get("stores/:id") { request, context in
            try await handle(request) { visit in try await catalog(request, visit, storeId: try Self.intParameter(context, "id")) }
        }
        shop.get("cart") { request, _ in try await handle(request) { visit in try await cart(request, visit) } }
        shop.post("cart") { request, _ in try await handle(request, form: true) { visit, form in try await setCart(visit, form) } }
        shop.post("checkout") { request, _ in try await handle(request, form: true) { visit, form in try await checkout(visit, form) } }
        shop.get("orders") { request, _ in try await handle(request) { visit in try await orders(visit) } }
        shop.get("orders/:id") { request, context in
            try await handle(request) { visit in try await order(visit, id: context.parameters.get("id") ?? "") }
        }
        shop.post("orders/:id/cancel") { request, context in
            try await handle(request, form: true) { visit, _ in try await cancel(visit, id: context.parameters.get("id") ?? "") }
        }
        shop.get("signup") { request, _ in try await handle(request) { visit in signUpPage(visit, error: nil) } }
        shop.post("signup") { request, _ in try await handle(request, form: true, signedOut: true) { visit, form in try await signUp(visit, form) } }
        shop.get("signin") { request, _ in try await handle(request) { visit in signInPage(visit, error: nil) } }
        shop.post("signin") { request, _ in try await handle(request, form: true, signedOut: true) { visit, form in try await signIn(visit, form) } }
        shop.post("signout") { request, _ in try await handle(request, form: true) { visit, _ in try await signOut(visit) } }
        shop.get("account") { request, _ in try await handle(request) { visit in try await account(visit) } }
        shop.get("account/export") { request, _ in try await handle(request) { visit in try await export(visit) } }
        shop.post("account/erase") { request, _ in try await handle(request, form: true) { visit, form in try await erase(visit, form) } }
    }

    // MARK: - Pages

    func stores(_ v: Visit) async throws -> Response {
        let stores = try await service.identity.locations().filter { $0.kind == .store }
        return page(v, title: v.words.chooseStore, body: "<ul class=\"stores\">" + stores.map {
            "<li><a href=\"/shop/stores/\($0.id)\">\(Self.escape($0.name))</a></li>"
        }.joined() + "</ul>")
    }

    func catalog(_ request: Request, _ v: Visit, storeId: Int64) async throws -> Response {
        let query = request.uri.queryParameters.get("q").flatMap { $0.isEmpty ? nil : String($0.prefix(100)) }
        let after = Int64(request.uri.queryParameters.get("after") ?? "") ?? 0
        let store = try await service.identity.location(id: storeId)
        let items = try await shopItems(storeId: storeId, query: query, after: max(0, after))
        var body = "<h2>\(Self.escape(store?.name ?? ""))</h2>"
        body += "<form method=\"get\" action=\"/shop/stores/\(storeId)\"><input name=\"q\" value=\"\(Self.escape(query ?? ""))\" aria-label=\"\(v.words.search)\">"
            + "<button>\(v.words.search)</button></form>"
        if v.session == nil { body += "<p class=\"note\"><a href=\"/shop/signin\">\(v.words.signInToOrder)</a></p>" }
        body += "<ul class=\"items\">"
        for item in items {
            body += "<li id=\"product-\(item.product.id)\"><span class=\"name\">\(Self.escape(item.product.name))</span> "
                + "<span class=\"price\">\(item.product.price.formatted(v.language))</span> "
                + "<span class=\"stock\">\(item.available > 0 ? v.words.available(item.available) : v.words.soldOut)</span>"
            if let s = v.session, item.available > 0 {
                body += "<form method=\"post\" action=\"/shop/cart\">\(Self.csrf(s.csrf))<input type=\"hidden\" name=\"store\" value=\"\(storeId)\">"
                    + "<input type=\"hidden\" name=\"product\" value=\"\(item.product.id)\"><input type=\"hidden\" name=\"add\" value=\"1\">"
                    + "<button name=\"quantity\" value=\"1\">\(v.words.add)</button></form>"
            }
            body += "</li>"
        }
        body += "</ul>"
        if items.count == Self.pageSize, let last = items.last {
            body += "<p><a href=\"/shop/stores/\(storeId)?after=\(last.product.id)\(query.map { "&q=" + Self.urlEncoded($0) } ?? "")\">\(v.words.next)</a></p>"
        }
        if v.session != nil { body += "<p><a class=\"button\" href=\"/shop/cart?store=\(storeId)\">\(v.words.cart)</a></p>" }
        return page(v, title: v.words.catalog, body: body)
    }

    /// A catalog page: from the cache while no change was made (pages without a search only).
    func shopItems(storeId: Int64, query: String?, after: Int64) async throws -> [ShopItem] {
        let now = service.clock()
        guard query == nil else {
            return try await service.storefront.shopItems(storeId: storeId, query: query, after: after, limit: Self.pageSize, at: now)
        }
        let version = try await service.versions.current(service.store).changes
        let key = ShopItemCache.Key(storeId: storeId, after: after, minute: now / 60_000)
        if let cached = service.shopItems.get(key, version: version) { return cached }
        let items = try await service.storefront.shopItems(storeId: storeId, query: nil, after: after, limit: Self.pageSize, at: now)
        service.shopItems.put(key, version: version, items: items)
        return items
    }

    func cart(_ request: Request, _ v: Visit) async throws -> Response {
        guard let s = v.session else { return redirect("/shop/signin", v) }
        let storeId = Int64(request.uri.queryParameters.get("store") ?? "") ?? 0
        let lines = try await service.storefront.cart(customerId: s.customer.id, storeId: storeId, at: service.clock())
        guard !lines.isEmpty else { return page(v, title: v.words.cart, body: "<p>\(v.words.emptyCart)</p><p><a href=\"/shop/stores/\(storeId)\">\(v.words.catalog)</a></p>") }
        var body = "<ul class=\"cart\">"
        for line in lines {
            body += "<li><span class=\"name\">\(Self.escape(line.item.product.name))</span> "
                + "<form method=\"post\" action=\"/shop/cart\">\(Self.csrf(s.csrf))<input type=\"hidden\" name=\"store\" value=\"\(storeId)\">"
                + "<input type=\"hidden\" name=\"product\" value=\"\(line.item.product.id)\">"
                + "<input name=\"quantity\" type=\"number\" min=\"0\" max=\"\(OrderRules.maxUnits)\" value=\"\(line.quantity)\" aria-label=\"\(v.words.quantity)\">"
                + "<button>\(v.words.update)</button></form> "
                + "<span class=\"price\">\((line.item.product.price * line.quantity).formatted(v.language))</span></li>"
        }
        let total = lines.reduce(Money.zero) { $0 + $1.item.product.price * $1.quantity }
        body += "</ul><p class=\"total\">\(v.words.total)\(v.words.colon)\(total.formatted(v.language))</p><p class=\"note\">\(v.words.checkoutNote)</p>"
            + "<form method=\"post\" action=\"/shop/checkout\">\(Self.csrf(s.csrf))<input type=\"hidden\" name=\"store\" value=\"\(storeId)\">"
            + "<button id=\"checkout\">\(v.words.checkout)</button></form>"
        return page(v, title: v.words.cart, body: body)
    }

    func setCart(_ v: Visit, _ form: [String: String]) async throws -> Response {
        guard let s = v.session else { return redirect("/shop/signin", v) }
        let storeId = Int64(form["store"] ?? "") ?? 0, productId = Int64(form["product"] ?? "") ?? 0
        var quantity = Int(form["quantity"] ?? "") ?? -1
        if form["add"] == "1" {
            let current = try await service.storefront.cart(customerId: s.customer.id, storeId: storeId, at: service.clock())
            quantity += current.first { $0.item.product.id == productId }?.quantity ?? 0
        }
        try await service.storefront.setCartLine(customerId: s.customer.id, storeId: storeId, productId: productId, quantity: quantity, at: service.clock())
        return redirect("/shop/cart?store=\(storeId)", v)
    }

    func checkout(_ v: Visit, _ form: [String: String]) async throws -> Response {
        guard let s = v.session else { return redirect("/shop/signin", v) }
        let order = try await service.storefront.checkout(customerId: s.customer.id, storeId: Int64(form["store"] ?? "") ?? 0,
                                                     orderId: UUID().uuidString.lowercased(), holdDays: service.pickupDays, at: service.clock())
        return redirect("/shop/orders/\(order.id)", v)
    }

    func orders(_ v: Visit) async throws -> Response {
        guard let s = v.session else { return redirect("/shop/signin", v) }
        let list = try await service.storefront.orders(customerId: s.customer.id, at: service.clock())
        let body = list.isEmpty ? "<p>\(v.words.noOrders)</p>" : "<ul class=\"orders\">" + list.map {
            "<li><a href=\"/shop/orders/\($0.id)\">\($0.number)</a> — <span class=\"state\">\(v.words.state($0.state))</span> — \($0.total.formatted(v.language))</li>"
        }.joined() + "</ul>"
        return page(v, title: v.words.orders, body: body)
    }

    func order(_ v: Visit, id: String) async throws -> Response {
        guard let s = v.session else { return redirect("/shop/signin", v) }
        guard let o = try await service.storefront.order(id: id, at: service.clock()), o.customerId == s.customer.id else {
            throw CentralError(.notFound, v.words.notFound)
        }
        let store = try await service.identity.location(id: o.storeId)
        var body = "<p><span id=\"order-number\">\(o.number)</span> — \(Self.escape(store?.name ?? "")) — "
            + "<strong id=\"order-state\">\(v.words.state(o.state))</strong></p><ul>"
        for l in o.lines { body += "<li>\(l.quantity) × \(Self.escape(l.name)) — \((l.unitPrice * l.quantity).formatted(v.language))</li>" }
        body += "</ul><p class=\"total\">\(v.words.total)\(v.words.colon)\(o.total.formatted(v.language)) — \(v.words.paidAtPickup)</p>"
        if o.state.reserves {
            body += "<p>\(v.words.pickupBy) \(Self.date(o.pickupBy, v.language))</p>"
                + "<form method=\"post\" action=\"/shop/orders/\(o.id)/cancel\">\(Self.csrf(s.csrf))<button>\(v.words.cancel)</button></form>"
        }
        return page(v, title: v.words.order + " " + o.number, body: body)
    }

    func cancel(_ v: Visit, id: String) async throws -> Response {
        guard let s = v.session else { return redirect("/shop/signin", v) }
        _ = try await service.storefront.transitionOrder(id: id, action: .cancel, storeId: nil, customerId: s.customer.id, saleId: nil, at: service.clock())
        return redirect("/shop/orders/\(id)", v)
    }

    func signUpPage(_ v: Visit, error: String?) -> Response {
        var v = v
        let token = formToken(&v)
        let body = (error.map { "<p class=\"error\" role=\"alert\">\(Self.escape($0))</p>" } ?? "")
            + "<form method=\"post\" action=\"/shop/signup\">\(Self.csrf(token))"
            + field("name", v.words.name, type: "text") + field("email", v.words.email, type: "email", required: true)
            + field("phone", v.words.phone, type: "tel") + field("password", v.words.password, type: "password", required: true, new: true)
            + "<label><input type=\"checkbox\" name=\"loyalty\" value=\"yes\"> \(v.words.loyaltyConsent)</label>"
            + "<label><input type=\"checkbox\" name=\"marketing\" value=\"yes\"> \(v.words.marketingConsent)</label>"
            + "<button id=\"signup\">\(v.words.signUp)</button></form>"
        return page(v, title: v.words.signUp, body: body)
    }

    func signUp(_ v: Visit, _ form: [String: String]) async throws -> Response {
        let input = CustomerInput(name: form["name"], email: form["email"], phone: form["phone"], language: v.words.lang,
                                  loyaltyConsent: form["loyalty"] == "yes", marketingConsent: form["marketing"] == "yes")
        // Refusals in the customer's words, checked by the same rules central applies next.
        if let problem = input.problem { return signUpPage(v, error: v.words.problem(problem)) }
        if (try? OrderRules.password(form["password"] ?? "")) == nil { return signUpPage(v, error: v.words.passwordLength) }
        if input.cleaned.email == nil { return signUpPage(v, error: v.words.problem(.email)) }
        do {
            let signedIn = try await service.signUp(input, password: form["password"] ?? "")
            return redirect("/shop", v, session: signedIn.token)
        } catch let error as CentralError {
            return signUpPage(v, error: error.kind == .conflict ? v.words.emailTaken : v.words.refused)
        }
    }

    func signInPage(_ v: Visit, error: String?) -> Response {
        var v = v
        let token = formToken(&v)
        let body = (error.map { "<p class=\"error\" role=\"alert\">\(Self.escape($0))</p>" } ?? "")
            + "<form method=\"post\" action=\"/shop/signin\">\(Self.csrf(token))"
            + field("email", v.words.email, type: "email", required: true) + field("password", v.words.password, type: "password", required: true)
            + "<button id=\"signin\">\(v.words.signIn)</button></form><p><a href=\"/shop/signup\">\(v.words.signUp)</a></p>"
        return page(v, title: v.words.signIn, body: body)
    }

    func signIn(_ v: Visit, _ form: [String: String]) async throws -> Response {
        do {
            let signedIn = try await service.signIn(email: form["email"] ?? "", password: form["password"] ?? "")
            return redirect("/shop", v, session: signedIn.token)
        } catch CentralService.LoginError.invalid {
            return signInPage(v, error: v.words.wrongCredentials)
        } catch CentralService.LoginError.locked(let seconds) {
            return signInPage(v, error: v.words.locked(seconds))
        }
    }

    func signOut(_ v: Visit) async throws -> Response {
        if let token = v.token { try await service.storefront.closeCustomerSession(tokenDigest: BearerToken.digest(token)) }
        return redirect("/shop", v, session: "")
    }

    func account(_ v: Visit) async throws -> Response {
        guard let s = v.session else { return redirect("/shop/signin", v) }
        let loyalty = try await service.customers.loyaltyAccount(customerId: s.customer.id)
        var body = "<p>\(Self.escape(s.customer.name ?? s.customer.email ?? ""))</p>"
            + "<p class=\"points\">\(v.words.points)\(v.words.colon)<strong id=\"points-balance\">\(loyalty.balance)</strong></p>"
            + "<p>\(v.words.card)\(v.words.colon)<span id=\"card-number\">\(s.customer.cardNumber)</span></p><h3>\(v.words.pointsHistory)</h3><ul>"
        for e in loyalty.entries.reversed() { body += "<li>\(Self.date(e.createdAt, v.language)) — \(v.words.entry(e.kind))\(v.words.colon)\(e.points)</li>" }
        body += "</ul><p><a href=\"/shop/account/export\">\(v.words.exportData)</a></p>"
            + "<form method=\"post\" action=\"/shop/account/erase\">\(Self.csrf(s.csrf))"
            + "<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> \(v.words.eraseConfirm)</label>"
            + "<button>\(v.words.eraseData)</button></form>"
        return page(v, title: v.words.account, body: body)
    }

    func export(_ v: Visit) async throws -> Response {
        guard let s = v.session else { return redirect("/shop/signin", v) }
        let export = try await service.customers.exportCustomer(id: s.customer.id, by: "customer:self", at: service.clock())
        let encoder = WireJSON.encoder
        encoder.outputFormatting.insert(.prettyPrinted)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"caisse-customer-\(s.customer.id).json\""],
                        body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(export))))
    }

    func erase(_ v: Visit, _ form: [String: String]) async throws -> Response {
        guard let s = v.session else { return redirect("/shop/signin", v) }
        guard form["confirm"] == "yes" else { return try await account(v) }
        _ = try await service.customers.eraseCustomer(id: s.customer.id, by: "customer:self", at: service.clock())
        var gone = v
        gone.session = nil
        gone.cookies.append(Self.cookie(Self.sessionCookie, ""))
        return page(gone, title: v.words.eraseData, body: "<p id=\"erased\">\(v.words.erased)</p>")
    }

    // MARK: - Plumbing

    /// Reads who is asking and the language, runs the page, and answers any refusal as a page.
    func handle(_ request: Request, _ body: (Visit) async throws -> Response) async throws -> Response {
        let v = try await visit(request)
        do { return try await body(v) } catch { return failure(error, v) }
    }

    /// A form post: its body parsed, and its CSRF token checked against the session's (or,
    /// signed out, against the form cookie set with the form).
    func handle(_ request: Request, form: Bool, signedOut: Bool = false,
                _ body: (Visit, [String: String]) async throws -> Response) async throws -> Response {
        let v = try await visit(request)
        do {
            let fields = Self.formFields(String(buffer: try await request.body.collect(upTo: 16_384)))
            let expected = signedOut ? request.cookies[Self.formCookie]?.value : v.session?.csrf
            guard let expected, !expected.isEmpty, fields["csrf"] == expected else {
                if !signedOut, v.session == nil { return redirect("/shop/signin", v) }
                return page(v, title: v.words.title, body: "<p class=\"error\" role=\"alert\">\(v.words.formExpired)</p>", status: .forbidden)
            }
            return try await body(v, fields)
        } catch { return failure(error, v) }
    }

    func visit(_ request: Request) async throws -> Visit {
        var cookies: [Cookie] = []
        let asked = request.uri.queryParameters.get("lang").flatMap { $0 == "en" || $0 == "fr" ? String($0) : nil }
        if let asked { cookies.append(Self.cookie(Self.languageCookie, asked, days: 365)) }
        let accept = request.headers[.acceptLanguage] ?? ""
        let lang = asked ?? request.cookies[Self.languageCookie]?.value ?? (accept.lowercased().hasPrefix("en") ? "en" : "fr")
        let token = request.cookies[Self.sessionCookie]?.value
        let session = try await token.flatMap { $0.isEmpty ? nil : $0 }.asyncMap { try await service.customerSession(token: $0) } ?? nil
        return Visit(words: .of(lang), session: session, token: token, cookies: cookies)
    }

    func failure(_ error: any Error, _ v: Visit) -> Response {
        // Central's refusals, said in the customer's language (its messages are for operators).
        let (status, message): (HTTPResponse.Status, String) = switch error {
        case let e as CentralError:
            switch e.kind {
            case .notFound: (.notFound, v.words.notFound)
            case .conflict: (.conflict, v.words.notEnough)
            case .invalidTransition: (.conflict, v.words.refused)
            case .forbidden: (.forbidden, v.words.refused)
            case .invalid where e.message.hasPrefix("quantity"): (.badRequest, v.words.notEnough)
            case .invalid where e.message == "the cart is empty": (.badRequest, v.words.emptyCart)
            default: (.badRequest, v.words.refused)
            }
        case let e as HTTPError: (e.status, v.words.formExpired)
        default: (.internalServerError, "…")
        }
        return page(v, title: v.words.title, body: "<p class=\"error\" role=\"alert\">\(Self.escape(message))</p><p><a href=\"/shop\">\(v.words.chooseStore)</a></p>",
                    status: status)
    }

    func formToken(_ v: inout Visit) -> String {
        let token = BearerToken.generate()
        v.cookies.append(Self.cookie(Self.formCookie, token))
        return token
    }

    func field(_ name: String, _ label: String, type: String, required: Bool = false, new: Bool = false) -> String {
        let autocomplete = type == "password" ? (new ? "new-password" : "current-password") : type == "email" ? "email" : type == "tel" ? "tel" : "name"
        return "<label>\(label)<input name=\"\(name)\" type=\"\(type)\"\(required ? " required" : "") autocomplete=\"\(autocomplete)\"></label>"
    }

    func redirect(_ location: String, _ v: Visit, session: String? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        for cookie in v.cookies { response.setCookie(cookie) }
        if let session { response.setCookie(Self.cookie(Self.sessionCookie, session, days: session.isEmpty ? 0 : 30)) }
        return response
    }

    func page(_ v: Visit, title: String, body: String, status: HTTPResponse.Status = .ok) -> Response {
        let w = v.words
        let other = w.lang == "fr" ? "en" : "fr"
        var nav = "<a href=\"/shop\">\(w.chooseStore)</a>"
        if v.session != nil {
            nav += " <a href=\"/shop/orders\">\(w.orders)</a> <a href=\"/shop/account\">\(w.account)</a>"
                + "<form class=\"inline\" method=\"post\" action=\"/shop/signout\">\(Self.csrf(v.session?.csrf ?? ""))<button>\(w.signOut)</button></form>"
        } else {
            nav += " <a href=\"/shop/signin\">\(w.signIn)</a> <a href=\"/shop/signup\">\(w.signUp)</a>"
        }
        nav += " <a href=\"?lang=\(other)\" lang=\"\(other)\">\(w.otherLanguage)</a>"
        let html = """
            <!doctype html>
            <html lang="\(w.lang)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title)) — Caisse</title>
            <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:auto;padding:0 1rem;line-height:1.5}
            nav a,nav form{margin-right:.75rem}form.inline{display:inline}li{margin:.4rem 0}label{display:block;margin:.5rem 0}
            input{font-size:1rem;padding:.3rem;max-width:100%}button,.button{font-size:1rem;padding:.4rem .8rem}.error{color:#a00}.note{color:#555}
            li form{display:inline}</style></head>
            <body><header><h1>\(w.title)</h1><nav>\(nav)</nav></header><main><h2>\(Self.escape(title))</h2>\(body)</main></body></html>
            """
        var response = Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8",
            HTTPField.Name("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
            .cacheControl: "no-store",
        ], body: .init(byteBuffer: ByteBuffer(string: html)))
        for cookie in v.cookies { response.setCookie(cookie) }
        return response
    }

    static func cookie(_ name: String, _ value: String, days: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: days.map { $0 * 86_400 }, path: "/shop", httpOnly: true, sameSite: .lax)
    }

    static func csrf(_ token: String) -> String { "<input type=\"hidden\" name=\"csrf\" value=\"\(escape(token))\">" }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func urlEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&").prefix(50) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let key = parts.first { fields[decode(key)] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }

    static func date(_ millis: Int64, _ language: Language) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: language == .en ? "en_CA" : "fr_CA")
        f.timeZone = TimeZone(identifier: "America/Toronto")
        f.dateStyle = .medium
        f.timeStyle = .short
        return f.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    static func intParameter(_ context: CentralContext, _ name: String) throws -> Int64 {
        guard let raw = context.parameters.get(name), let id = Int64(raw), id > 0 else { throw CentralError(.notFound, "no such page") }
        return id
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
