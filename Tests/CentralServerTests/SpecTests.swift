import CaisseAPI
import CentralServer
import CentralStore
import Foundation
import Testing

@Suite("OpenAPI and the domain model stay true")
struct SpecTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// "GET /v1/products/{id}" for every operation of openapi.yaml.
    static func specOperations() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("Sources/CentralServer/openapi.yaml"), encoding: .utf8)
        var operations = Set<String>()
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, !line.hasPrefix(" "), !line.isEmpty { break }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "),
                      let method = ["get", "post", "put", "delete", "patch"].first(where: { line == "    \($0):" }) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test func everyRouteIsInTheSpecAndViceVersa() async throws {
        let central = try await TestCentral()
        let router = buildRouter(service: central.service, registry: nil)
        // The storefront's pages (/shop) are HTML for people, not the API: tried in a real browser instead.
        let routes = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" }.filter { !$0.contains(" /shop") })
        let spec = try Self.specOperations()
        #expect(routes.subtracting(spec).isEmpty, "routes missing from openapi.yaml: \(routes.subtracting(spec).sorted())")
        #expect(spec.subtracting(routes).isEmpty, "openapi.yaml operations with no route: \(spec.subtracting(routes).sorted())")
        #expect(routes.count >= 20)
    }

    /// In a flow mapping, `{ description: the customer, erased, content: … }` makes "erased" a key
    /// and drops the response's body from the spec: three such slipped in, one only the client's
    /// generator saw. A description with a comma is quoted.
    @Test func noDescriptionSwallowsTheNextKey() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Sources/CentralServer/openapi.yaml"), encoding: .utf8)
        let unquoted = try Regex(#"\{[^}]*description: [^"'\s{][^,}]*, ([^:,}]+)[,}]"#)
        let broken = text.split(separator: "\n").filter { $0.contains(unquoted) }
        #expect(broken.isEmpty, "quote these descriptions: \(broken)")
    }

    @Test func theCommittedDomainDiagramIsWhatTheLiveDatabaseSays() async throws {
        let store = try SQLiteCentralStore(path: try temporaryFolder().appendingPathComponent("c.sqlite").path)
        try await store.migrate()
        let diagram = MermaidER.render(try await store.schema())
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/domain.md"), encoding: .utf8)
        let start = doc.range(of: "```mermaid\n")
        let end = doc.range(of: "```", range: (start?.upperBound ?? doc.startIndex)..<doc.endIndex)
        guard let start, let end else { Issue.record("docs/domain.md has no mermaid block"); return }
        #expect(String(doc[start.upperBound..<end.lowerBound]) == diagram,
                "docs/domain.md is stale: regenerate with `swift run caisse-central schema --database /tmp/x.sqlite`")
    }
}
