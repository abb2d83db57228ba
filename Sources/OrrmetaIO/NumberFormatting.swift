// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Fixed-precision number formatting for text, Markdown and CSV reports ("NA" for non-finite).
enum Fmt {
  static func f(_ x: Double?, _ digits: Int = 4) -> String {
    guard let x, x.isFinite else { return "NA" }
    return String(format: "%.\(digits)f", x)
  }
  static func pct(_ x: Double?, _ digits: Int = 1) -> String {
    guard let x, x.isFinite else { return "NA" }
    return String(format: "%.\(digits)f%%", 100 * x)
  }
  static func p(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "NA" }
    return x < 0.0001 ? "<.0001" : String(format: "%.4f", x)
  }
  static func full(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "NA" }
    return "\(x)"
  }
  static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
    let n = s.count
    if n >= width { return s }
    let fill = String(repeating: " ", count: width - n)
    return right ? fill + s : s + fill
  }
}
