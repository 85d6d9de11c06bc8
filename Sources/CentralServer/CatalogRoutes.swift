import CaisseAPI
import CaisseCore
import CentralModel
import Hummingbird

struct CatalogRoutes {
    let service: CentralService

    func register(on v1: RouterGroup<CentralContext>) {
        /// A page of the catalog by id; `after` is the last id of the previous page.
        v1.get("products") { request, context -> Response in
            try context.requirePrincipal()
            let after = try request.intQuery("after", default: 0, in: 0...Int64.max)
            let limit = Int(try request.intQuery("limit", default: 100, in: 1...1_000))
            let q = request.stringQuery("q")
            if let q, q.count > 100 { throw APIError.badRequest("q is at most 100 characters") }
            let version = try await service.dataVersion(context).catalog
            return try await service.responses.json("products|\(after)|\(limit)|\(q ?? "")", version: version,
                                                    encoder: context.responseEncoder) {
                let items = try await service.catalog.products(after: after, limit: limit, matching: q)
                return Page(items: items, next: items.count == limit ? items.last.map { String($0.id) } : nil)
            }
        }
        v1.get("products/:id") { _, context -> Response in
            try context.requirePrincipal()
            let id = try context.parameters.int64("id")
            return try await service.responses.json("product|\(id)", version: try await service.dataVersion(context).catalog,
                                                    encoder: context.responseEncoder) {
                guard let p = try await service.catalog.product(id: id) else { throw APIError.notFound("no product \(id)") }
                return p
            }
        }
        v1.get("products/sku/:sku") { _, context -> Response in
            try context.requirePrincipal()
            let sku = context.parameters.get("sku") ?? ""
            return try await service.responses.json("sku|\(sku)", version: try await service.dataVersion(context).catalog,
                                                    encoder: context.responseEncoder) {
                guard let p = try await service.catalog.product(sku: sku) else { throw APIError.notFound("no product with SKU \(sku)") }
                return p
            }
        }
        v1.get("products/barcode/:barcode") { _, context -> Response in
            try context.requirePrincipal()
            let code = context.parameters.get("barcode") ?? ""
            return try await service.responses.json("barcode|\(code)", version: try await service.dataVersion(context).catalog,
                                                    encoder: context.responseEncoder) {
                guard let p = try await service.catalog.product(barcode: code) else { throw APIError.notFound("no product with barcode \(code)") }
                return p
            }
        }
        v1.post("products") { request, context -> EditedResponse<Product> in
            try context.require(.admin)
            let input = try await request.decode(as: ProductInput.self, context: context)
            let product = try await service.catalog.createProduct(input)
            return EditedResponse(status: .created, headers: [.location: "/v1/products/\(product.id)"], response: product)
        }
        /// Replaces a product; a new price reaches every till with its next pull.
        v1.put("products/:id") { request, context -> Product in
            try context.require(.admin)
            let id = try context.parameters.int64("id")
            let input = try await request.decode(as: ProductInput.self, context: context)
            return try await service.catalog.updateProduct(id: id, input)
        }
        /// Promotions: everyone signed in reads them; head office defines them (tills get them by sync).
        v1.get("promotions") { _, context -> [Promotion] in
            try context.requirePrincipal()
            return try await service.offers.promotions()
        }
        v1.post("promotions") { request, context -> EditedResponse<Promotion> in
            try context.requireHeadOffice()
            let input = try await request.decode(as: PromotionInput.self, context: context)
            let created = try await service.offers.createPromotion(input)
            return EditedResponse(status: .created, headers: [.location: "/v1/promotions/\(created.id)"], response: created)
        }
        v1.put("promotions/:id") { request, context -> Promotion in
            try context.requireHeadOffice()
            let id = try context.parameters.int64("id")
            let input = try await request.decode(as: PromotionInput.self, context: context)
            return try await service.offers.updatePromotion(id: id, input)
        }
        /// How far cashiers and employees of a store may discount without a manager's PIN.
        v1.get("stores/:storeId/discount-policy") { _, context -> DiscountPolicy in
            let storeId = try context.parameters.int64("storeId")
            try context.requireStoreAccess(storeId, staffRole: .cashier)
            return try await service.offers.discountPolicy(storeId: storeId)
        }
        v1.put("stores/:storeId/discount-policy") { request, context -> DiscountPolicy in
            let storeId = try context.parameters.int64("storeId")
            try context.requireHeadOffice()
            let policy = try await request.decode(as: DiscountPolicy.self, context: context)
            try await service.offers.setDiscountPolicy(policy, storeId: storeId)
            return policy
        }
        /// A store's quick keys: its people and registers read them (tills get them by sync).
        v1.get("stores/:storeId/quick-keys") { _, context -> [Product] in
            let storeId = try context.parameters.int64("storeId")
            try context.requireStoreAccess(storeId, staffRole: .cashier)
            return try await service.offers.quickKeyProducts(storeId: storeId)
        }
        /// Chosen by the store's manager or head office; the store's tills get them with their next pull.
        v1.put("stores/:storeId/quick-keys") { request, context -> [Product] in
            let storeId = try context.parameters.int64("storeId")
            try context.require(.manager)
            try context.requireStoreAccess(storeId, staffRole: .manager)
            let body = try await request.decode(as: QuickKeysUpdate.self, context: context)
            return try await service.offers.replaceQuickKeys(storeId: storeId, productIds: body.productIds)
        }
    }
}
