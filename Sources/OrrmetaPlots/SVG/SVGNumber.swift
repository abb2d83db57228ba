// SPDX-License-Identifier: GPL-3.0-or-later

/// Coordinates as SVG numbers: at most two decimals, no exponent, no trailing zeros, and
/// non-finite values written as 0 (they are never drawn: callers skip them, this only keeps the
/// document valid).
enum SVGNumber {
  static func format(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    let r = (x * 100).rounded() / 100
    if r == 0 { return "0" }
    if r == r.rounded(), abs(r) < 1e15 { return String(Int64(r)) }
    let negative = r < 0
    let scaled = Int64((abs(r) * 100).rounded())
    let whole = scaled / 100, frac = scaled % 100
    var s = negative ? "-" : ""
    s += String(whole)
    s += "."
    if frac < 10 { s += "0" + String(frac) } else { s += frac % 10 == 0 ? String(frac / 10) : String(frac) }
    return s
  }
}
