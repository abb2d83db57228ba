// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing

/// The one JSON encoder (``JSONOutput``): the bytes Foundation's `JSONEncoder` wrote for the same
/// values (the outputs kept their bytes when it was replaced), the null rules, and the keys of the
/// statistics module's results, which the output layer owns.
@Suite("JSON output")
struct JSONOutputTests {
  struct Numbers: Encodable {
    var values: [Double]
    var ints: [Int] = [0, -5, Int.max, Int.min]
    var unsigned: UInt64 = .max
    var float: Float = 0.1
  }

  struct Texts: Encodable {
    var s = ["a/b", "\u{7f}x", "\u{1f}", "é ü 🎉", "\u{2028}", "tab\t\"q\"\\", "\u{0}", "\u{8}\u{c}\r\n"]
    var keys: [String: Int] = ["a_b": 1, "a1": 2, "aB": 3, "ab": 4, "A": 5, "b": 6, "a": 7, "_x": 8, "Ab": 9, "a10": 10, "é": 12]
    var empty: [Int] = []
    var emptyObject: [String: Int] = [:]
    var nested: [[Int]] = [[], [1]]
    var flag = true
  }

  static func foundation<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
    let e = JSONEncoder()
    e.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try e.encode(value), as: UTF8.self) + "\n"
  }

  @Test("numbers, strings, keys and layout are Foundation's bytes", arguments: [true, false])
  func sameBytesAsFoundation(pretty: Bool) throws {
    var numbers: [Double] = [0, -0.0, 1, 100, 1e15, 1e16, 1e20, 1e21, 1e-7, 0.1, 2.5e-5, 1e-4, 1.5e300, .leastNonzeroMagnitude, 123456789012]
    numbers += [12345678901234568, 5.66113409352914e-127, 0.5363237991758733, -94.50696932180234, .pi, .ulpOfOne]
    var g = SystemRandomNumberGenerator()
    for _ in 0..<500 {
      numbers.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &g)))
      numbers.append(Double.random(in: -1e6...1e6, using: &g))
    }
    let probe = Numbers(values: numbers.filter(\.isFinite))
    #expect(try JSONOutput.encode(probe, pretty: pretty) == Self.foundation(probe, pretty: pretty))
    #expect(try JSONOutput.encode(Texts(), pretty: pretty) == Self.foundation(Texts(), pretty: pretty))
  }

  @Test("members are ordered by the UTF-8 bytes of their keys: shared 8-byte prefixes, prefixes, empty and non-ASCII keys, more than 32 members")
  func keyOrder() throws {
    let tricky = ["abcdefgh", "abcdefghi", "abcdefgI", "abcdefg", "", "a", "ab", "é", "\u{FFFF}", "zz", "Z", "abcdefgh\u{7F}"]
    let many = (0..<40).map { "k\(String(repeating: "x", count: $0 % 9))\(39 - $0)" } + tricky
    for keys in [tricky, many] {
      let value = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
      let order = keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      let expected = "{" + order.map { "\"\($0)\":\(value[$0]!)" }.joined(separator: ",") + "}\n"
      #expect(try JSONOutput.encode(value, pretty: false) == expected)
    }
  }

  @Test("escaped keys, more distinct keys than a pooled tree keeps, and encodings on four threads at once: Foundation's bytes every time")
  func pooledTrees() throws {
    // Dictionary keys are data (subgroup names): quotes, backslashes and control characters.
    let escaped = ["a\"b": 1, "back\\slash": 2, "tab\t": 3, "\u{1}": 4, "line\nfeed": 5, "plain": 6, "é/x": 7]
    for pretty in [true, false] {
      #expect(try JSONOutput.encode(escaped, pretty: pretty) == Self.foundation(escaped, pretty: pretty))
    }
    // Beyond the keys a pooled tree keeps (JSONTree.keptKeys), in one encoding and over several.
    let many = Dictionary(uniqueKeysWithValues: (0..<5_000).map { ("key\($0)", $0) })
    #expect(try JSONOutput.encode(many, pretty: false) == Self.foundation(many, pretty: false))
    for round in 0..<3 {
      let some = Dictionary(uniqueKeysWithValues: (0..<2_000).map { ("r\(round)k\($0)", Double($0) / 7) })
      #expect(try JSONOutput.encode(some, pretty: true) == Self.foundation(some, pretty: true))
    }
    // Each thread encodes every value in its own order, twice: the same bytes as one thread.
    let probe = Numbers(values: [0.1, -2.5e-300, 1e21, 7])
    let expected = [try Self.foundation(probe, pretty: true), try Self.foundation(Texts(), pretty: false), try Self.foundation(escaped, pretty: true)]
    var mismatches = [Int](repeating: 0, count: 8)
    mismatches.withUnsafeMutableBufferPointer { out in
      forEachChunk(8, threads: 4) { c in
        for i in 0..<60 {
          let which = (i + c) % 3
          let text: String?
          switch which {
          case 0: text = try? JSONOutput.encode(probe, pretty: true)
          case 1: text = try? JSONOutput.encode(Texts(), pretty: false)
          default: text = try? JSONOutput.encode(escaped, pretty: true)
          }
          if text != expected[which] { out[c] += 1 }
        }
      }
    }
    #expect(mismatches == [Int](repeating: 0, count: 8))
  }

  @Test("a pool result's cohort rows written directly (JSONMembersEncodable) are the bytes of their Encodable conformance, every member present or absent")
  func directRowsEqualEncodable() throws {
    /// The row through its synthesised `encode(to:)` (the keyed container), under the same rules.
    struct ViaEncodable: NullPreservingEncodable {
      var row: PoolReport.Study
      func encode(to encoder: any Encoder) throws { try row.encode(to: encoder) }
    }
    let csv = "label,events,n\n\"A \"\"quoted\"\" arm\",0,12\nb,3,25\nc,7,30\nd,30,30\n"
    let cohorts = try CohortFile.load(table: try CSVTable.parse(data: Data(csv.utf8), file: "rows.csv"), columns: ColumnSelection())
    let report = try PoolPipeline.run(cohorts, settings: AnalysisSettings())
    #expect(report.studies.count == 4)
    var rows = report.studies
    // Each optional member absent in some row, present in others; subgroup and cluster set.
    for (i, var row) in report.studies.enumerated() {
      if i % 2 == 0 { row.yi = nil; row.ci_upper = nil; row.subgroup = "g\(i)" } else { row.vi = nil; row.weight = nil; row.cluster = "t\(i)" }
      if i == 3 { (row.proportion, row.ci_lower) = (nil, nil) }
      rows.append(row)
    }
    for pretty in [true, false] {
      let direct = try JSONOutput.encode(rows, pretty: pretty)
      #expect(direct == (try JSONOutput.encode(rows.map { ViaEncodable(row: $0) }, pretty: pretty)))
      #expect(direct.contains("\"cluster\"") && direct.contains("null"))
    }
    // Inside a whole report, and with a non-finite number outside NotAvailableAsNull an error.
    #expect(try JSONOutput.encode(report).contains("\"A \\\"quoted\\\" arm\""))
    var leaking = rows[0]
    leaking.vi = .nan
    #expect(throws: JSONOutputError.self) { try JSONOutput.encode([leaking]) }
  }

  @Test("the encoder writes a JSONMembersEncodable report row through encodeMembers, not encode(to:)")
  func membersPathTaken() throws {
    struct Row: NullPreservingEncodable, JSONMembersEncodable {
      enum CodingKeys: String, CodingKey { case via, absent }
      func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("encode(to:)", forKey: .via)
      }
      func encodeMembers(into o: inout JSONObjectMembers<CodingKeys>) throws {
        o.encode("members", forKey: .via)
        o.encodeIfPresent(nil as String?, forKey: .absent)
      }
    }
    #expect(try JSONOutput.encode([Row()], pretty: false) == #"[{"absent":null,"via":"members"}]"# + "\n")
    #expect(PoolReport.Study.jsonMembersType != nil)
    #expect(PoolReport.jsonMembersType == nil)
  }

  @Test("a JSONFragment is written as its text; another encoder refuses it")
  func fragment() throws {
    struct Holder: Encodable {
      var row: JSONFragment
      var n = 1
    }
    let fragment = try JSONFragment(encoding: Texts())
    #expect(fragment.text + "\n" == (try Self.foundation(Texts(), pretty: false)))
    #expect(try JSONOutput.encode(Holder(row: fragment), pretty: false) == "{\"n\":1,\"row\":\(fragment.text)}\n")
    #expect(throws: EncodingError.self) { try JSONEncoder().encode(Holder(row: fragment)) }
  }

  @Test("the same key set twice: the value encoded last is written")
  func duplicateKey() throws {
    struct Twice: Encodable {
      enum K: String, CodingKey { case a, b }
      func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: K.self)
        try c.encode(1, forKey: .b)
        try c.encode(2, forKey: .a)
        var nested = c.nestedContainer(keyedBy: K.self, forKey: .b)
        try nested.encode("x", forKey: .a)
      }
    }
    #expect(try JSONOutput.encode(Twice(), pretty: false) == #"{"a":2,"b":{"a":"x"}}"# + "\n")
  }

  @Test("non-finite values are null inside a NotAvailableAsNull, an error elsewhere; absent is null only in a NullPreservingEncodable")
  func nulls() throws {
    struct Plain: Encodable {
      var a: Double? = nil
      var b = 1
    }
    struct Preserving: NullPreservingEncodable, NotAvailableAsNull {
      var a: Double? = nil
      var plain = Plain()
      var plainOptional: Plain? = nil
      var inf = -Double.infinity
      var list: [Double?] = [.nan, nil, 2]
    }
    struct Leaking: Encodable {
      var fine = 1.5
      var rows = [["x": Double.nan]]
    }
    #expect(try JSONOutput.encode(Plain(), pretty: false) == "{\"b\":1}\n")
    #expect(
      try JSONOutput.encode(Preserving(), pretty: false)
        == "{\"a\":null,\"inf\":null,\"list\":[null,null,2],\"plain\":{\"b\":1},\"plainOptional\":null}\n")
    #expect {
      _ = try JSONOutput.encode(Leaking())
    } throws: { error in
      guard case .nonFiniteNumber(let path)? = error as? JSONOutputError else { return false }
      return path == "rows.0.x"
    }
    #expect(throws: JSONOutputError.self) { try JSONOutput.encode([Double.infinity]) }
  }

  @Test("a value whose encode(to:) fails is a typed error naming its path")
  func failure() throws {
    struct Broken: Encodable {
      func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(0, .init(codingPath: encoder.codingPath, debugDescription: "broken"))
      }
    }
    struct Outer: Encodable { var inner = [Broken()] }
    #expect {
      _ = try JSONOutput.encode(Outer())
    } throws: { error in
      guard case .encodingFailed(let path, let reason)? = error as? JSONOutputError else { return false }
      return path == "inner.0" && reason == "broken"
    }
  }

  @Test("the statistics module's results encode with the documented JSON keys")
  func statisticsKeys() throws {
    let a = try SensitivityAnalysis(
      yi: [0.2, 0.4, 0.1, 0.8, 0.5], vi: [0.04, 0.05, 0.06, 0.03, 0.02], sampleSizes: [50, 40, 30, 70, 90], method: .DL)
    let cd = try JSONOutput.encode(try a.caseDeletion(), pretty: false)
    for key in ["\"leave_one_out\"", "\"ci_lower\"", "\"cook_d\"", "\"cov_r\"", "\"tau2_del\"", "\"qe_del\"", "\"influential\"", "\"baujat\""] {
      #expect(cd.contains(key), "\(key)")
    }
    let egger = try JSONOutput.encode(try a.eggerTest(), pretty: false)
    #expect(egger.contains("\"z\"") && egger.contains("\"p_value\""))
    let tf = try JSONOutput.encode(try a.trimAndFill(), pretty: false)
    #expect(tf.contains("\"k0\"") && tf.contains("\"side\"") && !tf.contains("\"fit\""))
    let g = try JSONOutput.encode(try a.gosh(), pretty: false)
    #expect(g.contains("\"exhaustive\":true") && g.contains("\"summary\""))
  }
}
