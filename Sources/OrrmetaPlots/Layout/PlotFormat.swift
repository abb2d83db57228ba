// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaReports

/// Number formatting for plot labels and the HTML report ("NA" for missing or non-finite).
package enum PlotFormat {
  /// A proportion as a percentage without the sign: 0.6084 → "60.8" (``Fmt/percent(_:_:)``, the
  /// formatter shared with the text and Markdown reports).
  static func percent(_ p: Double?, digits: Int = 1) -> String { Fmt.percent(p, digits) }

  /// A proportion with its CI: "60.8 [52.3, 68.9]".
  static func percentCI(_ p: Double?, _ lo: Double?, _ hi: Double?, digits: Int = 1) -> String {
    "\(percent(p, digits: digits)) [\(percent(lo, digits: digits)), \(percent(hi, digits: digits))]"
  }

  /// A fixed-point number (``Fmt/f(_:_:)``: a non-zero value below the last decimal in
  /// scientific notation).
  package static func fixed(_ x: Double?, _ digits: Int = 2) -> String { Fmt.f(x, digits) }

  /// A number with 4 significant digits (τ², Q, Baujat coordinates).
  package static func significant(_ x: Double?, _ digits: Int = 4) -> String { Fmt.significant(x, digits) }

  /// A p-value in a sentence: "p < .0001" or "p = 0.0123" (``Fmt/pClause(_:)``).
  package static func pClause(_ p: Double?) -> String { Fmt.pClause(p) }

  /// A p-value in a table cell: "<.0001" or "0.0123".
  static func pCell(_ p: Double?) -> String { Fmt.p(p) }

  /// An axis tick label for a proportion: 0.2 → "20%" (decimals only when needed).
  package static func percentTick(_ p: Double) -> String {
    let v = 100 * p
    let r = (v * 100).rounded() / 100
    if r == r.rounded() { return "\(Int(r))%" }
    if (r * 10).rounded() == r * 10 { return String(format: "%.1f%%", r) }
    return String(format: "%.2f%%", r)
  }

  /// A plain axis tick label: 0.25 → "0.25", 2 → "2".
  package static func tick(_ x: Double) -> String {
    let r = (x * 1e6).rounded() / 1e6
    if r == r.rounded(), abs(r) < 1e12 { return String(Int64(r)) }
    var s = String(format: "%.6f", r)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
  }

  /// An integer with thousands separators: 1000000 → "1,000,000".
  static func count(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, ch) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return n < 0 ? "-" + out : out
  }
}
