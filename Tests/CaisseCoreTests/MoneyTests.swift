import Testing
@testable import CaisseCore

@Suite("Money")
struct MoneyTests {
    @Test("typed amounts in either decimal style", arguments: [
        ("12", 1200), ("12.5", 1250), ("12,50", 1250), ("12.05", 1205), ("0,05", 5), (".5", 50),
        ("$12.50", 1250), ("12,50 $", 1250), (" 7 ", 700), ("+3.10", 310), ("0", 0), ("1234567.89", 123_456_789),
    ])
    func parses(text: String, cents: Int64) throws {
        #expect(try Money.parse(text) == Money(cents: cents))
    }

    @Test("bad amounts are refused with a reason", arguments: [
        ("", MoneyParseError.empty), ("  ", .empty), ("-3", .negative("-3")), ("12.555", .tooManyDecimals("12.555")),
        ("1,234.56", .malformed("1,234.56")), ("abc", .malformed("abc")), ("12.", .malformed("12.")),
        ("1.2.3", .malformed("1.2.3")), ("12e3", .malformed("12e3")), ("99999999999", .tooLarge("99999999999")),
        ("٣", .malformed("٣")),
    ])
    func refuses(text: String, error: MoneyParseError) {
        #expect(throws: error) { try Money.parse(text) }
    }

    @Test func formatsForFrenchAndEnglishCanada() {
        #expect(Money(cents: 1250).formatted(.fr) == "12,50\u{00A0}$")
        #expect(Money(cents: 1250).formatted(.en) == "$12.50")
        #expect(Money(cents: 5).formatted(.en) == "$0.05")
        #expect(Money(cents: 123_456_789).formatted(.en) == "$1,234,567.89")
        #expect(Money(cents: 123_456_789).formatted(.fr) == "1\u{202F}234\u{202F}567,89\u{00A0}$")
        #expect(Money(cents: -250).formatted(.en) == "-$2.50")
        #expect(Money(cents: -250).formatted(.fr) == "-2,50\u{00A0}$")
        #expect(Money(cents: -5).description == "-0.05")
    }

    @Test("cash rounds to the nickel: 1–2 ¢ down, 3–4 ¢ up", arguments: [
        (1000, 1000), (1001, 1000), (1002, 1000), (1003, 1005), (1004, 1005),
        (1005, 1005), (1006, 1005), (1007, 1005), (1008, 1010), (1009, 1010), (-1003, -1005), (2, 0),
    ])
    func nickelRounding(cents: Int64, rounded: Int64) {
        #expect(Money(cents: cents).roundedToNickel == Money(cents: rounded))
    }

    @Test func encodesAsBareCents() throws {
        let data = try JSONEncoder().encode([Money(cents: 1234)])
        #expect(String(decoding: data, as: UTF8.self) == "[1234]")
    }
}

import Foundation
