import Testing
@testable import CaisseAPI

@Suite("Hash chain")
struct HashChainTests {
    func chain(_ count: Int) -> [SyncEvent] {
        var events: [SyncEvent] = []
        var previous = HashChain.genesis
        for i in 1...count {
            let e = SyncEvent(registerId: "CV-1", sequence: Int64(i), id: "e\(i)", type: .sale, createdAt: 1_700_000_000_000 + Int64(i),
                              payload: #"{"n":\#(i),"name":"Café"}"#, previousHash: previous)
            previous = e.hash
            events.append(e)
        }
        return events
    }

    @Test func anIntactChainVerifies() throws {
        let events = chain(5)
        try HashChain.verify(events)
        #expect(events[0].previousHash == HashChain.genesis)
        #expect(events[1].previousHash == events[0].hash)
        #expect(events.allSatisfy { $0.hash.count == 64 })
        // A later batch continues from the last event already verified.
        try HashChain.verify(Array(events[3...]), previousSequence: 3, previousHash: events[2].hash)
    }

    @Test func anEditedPayloadIsDetected() {
        var events = chain(4)
        events[1].payload = #"{"n":2,"name":"Cafe"}"#
        #expect(throws: HashChain.Break.contentAltered(sequence: 2)) { try HashChain.verify(events) }
    }

    @Test func anEditedEventWithARecomputedHashBreaksTheNextLink() {
        var events = chain(4)
        events[1].payload = #"{"n":2,"name":"Cafe"}"#
        events[1].hash = HashChain.hash(of: events[1])
        #expect(throws: HashChain.Break.linkBroken(sequence: 3)) { try HashChain.verify(events) }
    }

    @Test func aDeletedEventIsDetected() {
        var events = chain(4)
        events.remove(at: 1)
        #expect(throws: HashChain.Break.sequenceGap(expected: 2, found: 3)) { try HashChain.verify(events) }
    }

    @Test func reorderedEventsAreDetected() {
        var events = chain(4)
        events.swapAt(1, 2)
        #expect(throws: HashChain.Break.self) { try HashChain.verify(events) }
    }

    @Test func hashesTheExactBytesNotTheJSONMeaning() {
        let a = SyncEvent(registerId: "R", sequence: 1, id: "x", type: .sale, createdAt: 0, payload: #"{"a":1,"b":2}"#, previousHash: HashChain.genesis)
        let b = SyncEvent(registerId: "R", sequence: 1, id: "x", type: .sale, createdAt: 0, payload: #"{"b":2,"a":1}"#, previousHash: HashChain.genesis)
        #expect(a.hash != b.hash)
        #expect(String(decoding: HashChain.canonicalBytes(of: a), as: UTF8.self).hasPrefix("caisse-event/1\nR\n1\nx\nsale\n0\n"))
    }

    @Test func theSameEventHashesTheSameAfterAJSONRoundTrip() throws {
        let event = chain(1)[0]
        let data = try WireJSON.encoder.encode(event)
        let decoded = try WireJSON.decoder.decode(SyncEvent.self, from: data)
        #expect(decoded == event)
        #expect(HashChain.hash(of: decoded) == event.hash)
    }
}

@Suite("Secrets")
struct SecretsTests {
    @Test func pinHashesVerifyOnlyTheRightPin() throws {
        let hasher = PinHasher(rounds: 1_000)
        let stored = try hasher.hash(pin: "1234")
        #expect(stored.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(PinHasher.verify(pin: "1234", against: stored))
        #expect(!PinHasher.verify(pin: "1235", against: stored))
        #expect(!PinHasher.verify(pin: "", against: stored))
        // Salted: the same PIN never gives the same stored hash.
        #expect(try hasher.hash(pin: "1234") != stored)
    }

    @Test("malformed stored hashes never verify", arguments: [
        "", "1234", "pbkdf2-sha256$abc$AAAA$AAAA", "md5$1$AAAA$AAAA", "pbkdf2-sha256$0$AAAA$AAAA",
        "pbkdf2-sha256$99999999999$AAAA$AAAA", "pbkdf2-sha256$1000$!!!$AAAA",
    ])
    func malformed(stored: String) {
        #expect(!PinHasher.verify(pin: "1234", against: stored))
    }

    @Test func bearerTokensAreLongRandomAndStoredAsDigests() {
        let a = BearerToken.generate()
        let b = BearerToken.generate()
        #expect(a.count == 64)
        #expect(a != b)
        #expect(BearerToken.digest(a).count == 64)
        #expect(BearerToken.digest(a) == BearerToken.digest(a))
        #expect(BearerToken.digest(a) != a)
    }
}
