// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import OrrmetaReports
import Testing

/// `Fmt` prints numbers with C's `snprintf` (`CNumberFormat`) instead of Foundation's `String(format:)` (start-up,
/// Docs/performance.md); the text must be the same to the last character.
@Suite("NumberFormatParity: Fmt's C formatting equals String(format:)")
struct NumberFormatParityTests {
  /// Edge cases (ties, tiny, huge, signed zero, subnormal) and a deterministic spread over
  /// magnitudes 10⁻¹² … 10¹² of both signs.
  static let values: [Double] = {
    var v: [Double] = [
      0, -0.0, 0.5, 1.5, 2.5, 0.125, 0.375, 0.00005, 0.00015, 1.3e-13, -1.3e-13, 0.6084, 0.99995,
      9.99995, 1e300, -1e300, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude,
      .pi, -.pi, 123_456_789.987_654_321, 1e-5, 5e-5, 1e7, 6.02214076e23,
    ]
    for i in 0..<2000 {
      v.append(sin(Double(i) * 1.618) * pow(10, Double(i % 25 - 12)))
    }
    return v
  }()

  @Test("%.{0…10}f and %.{0…6}e of every value: the same text as String(format:)")
  func parity() {
    var mismatches: [String] = []
    for x in Self.values {
      for d in 0...10 {
        let format = "%.\(d)f"
        let ours = Fmt.cFormat(format, x), foundation = String(format: format, x)
        if ours != foundation { mismatches.append("\(format) of \(x): \(ours) vs \(foundation)") }
      }
      for d in 0...6 {
        let format = "%.\(d)e"
        let ours = Fmt.cFormat(format, x), foundation = String(format: format, x)
        if ours != foundation { mismatches.append("\(format) of \(x): \(ours) vs \(foundation)") }
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.count) differences, first: \(mismatches.prefix(5))")
  }

  @Test("fixed notation of the largest double (309 digits) grows the buffer and keeps every digit")
  func longOutput() {
    let text = Fmt.cFormat("%.4f", .greatestFiniteMagnitude)
    #expect(text.count == 314)
    #expect(text.hasPrefix("17976931348623157") && text.hasSuffix(".0000"))
    #expect(Fmt.f(0.6084, 3) == "0.608" && Fmt.percent(0.6084) == "60.8" && Fmt.significant(12_345_678.0) == "1.2e+07")
  }
}
