import Testing
@testable import CaisseAPI

/// Issue 29: the W3C `traceparent` a till sends, read back strictly by central (a till's string).
@Suite struct TraceParentTests {
    @Test func aTillsTraceReadsBack() throws {
        let trace = TraceParent.random()
        #expect(trace.header.count == 55)
        #expect(TraceParent(header: trace.header) == trace)
        #expect(TraceParent(header: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")?.traceId == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test(arguments: ["", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // upper case
                      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",        // all-zero trace id
                      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",        // all-zero span id
                      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // a version this till never sends
                      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
                      "00-4bf92f3577b34da6a3ce929d0e0e473\u{E9}-00f067aa0ba902b7-01", "00-x-y-z"])
    func anythingElseIsIgnored(_ header: String) {
        #expect(TraceParent(header: header) == nil)
    }
}
