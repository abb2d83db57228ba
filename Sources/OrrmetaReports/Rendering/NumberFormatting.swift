// SPDX-License-Identifier: GPL-3.0-or-later

import CNumberFormat

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one number formatter of every human-readable output: text, Markdown, HTML and the plots
/// (CSV and JSON carry full precision through ``full(_:)`` and the encoders). "NA" for
/// missing or non-finite values.
///
/// Rules (issue 12, items 5 and 8):
/// - fixed decimals, except that a value that is not 0 but would print as 0.000… is shown in
///   scientific notation with two significant digits ("1.3e-13"), never as a false zero;
/// - p-values: four decimals, or "<.0001" in a table cell and "p < .0001" in a sentence
///   (``pClause(_:)``), never "p = <.0001";
/// - counts that are not integers (the harmonic mean of n) to two decimals.
package enum Fmt {
  /// `x` to `digits` decimals; a non-zero value below the last decimal in scientific notation.
  package static func f(_ x: Double?, _ digits: Int = 4) -> String {
    guard let x, x.isFinite else { return "NA" }
    if x != 0, abs(x) < 0.5 * pow(10, -Double(digits)) { return cFormat("%.1e", x) }
    return cFormat("%.\(digits)f", x)
  }
  /// A proportion as a percentage with the sign: 0.6084 → "60.8%".
  package static func pct(_ x: Double?, _ digits: Int = 1) -> String {
    guard let x, x.isFinite else { return "NA" }
    return percent(x, digits) + "%"
  }
  /// A proportion as a percentage without the sign: 0.6084 → "60.8"; a non-zero proportion
  /// that would round to 0.0 prints as "<0.1" (to the digits asked for).
  package static func percent(_ x: Double?, _ digits: Int = 1) -> String {
    guard let x, x.isFinite else { return "NA" }
    let v = 100 * x
    let unit = pow(10, -Double(digits))
    if v > 0, v < 0.5 * unit { return "<" + cFormat("%.\(digits)f", unit) }
    return cFormat("%.\(digits)f", v)
  }
  /// A p-value for a table cell: "<.0001" or four decimals.
  package static func p(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "NA" }
    return x < 0.0001 ? "<.0001" : cFormat("%.4f", x)
  }
  /// A p-value in a sentence: "p < .0001", "p = 0.0123", "p = NA".
  package static func pClause(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "p = NA" }
    return x < 0.0001 ? "p < .0001" : "p = " + cFormat("%.4f", x)
  }
  /// `x` with `digits` significant digits (τ², Q and coordinates in plots), fixed-point within
  /// 10⁻³…10⁶ and scientific outside it, so that it fits a narrow column.
  package static func significant(_ x: Double?, _ digits: Int = 4) -> String {
    guard let x, x.isFinite else { return "NA" }
    if x == 0 { return "0" }
    let magnitude = Int(log10(abs(x)).rounded(.down))
    if magnitude < -3 || magnitude >= 7 { return cFormat("%.\(max(0, digits - 3))e", x) }
    let decimals = max(0, digits - 1 - magnitude)
    return cFormat("%.\(decimals)f", x)
  }
  /// `x` to `digits` fixed decimals with no other rule, as R prints `round(x, digits)`
  /// (`formatC(format = "f")`): no scientific notation, and a value that rounds to zero prints
  /// without a sign ("0.0000", never "-0.0000"). For layouts that reproduce R meta's `print`.
  package static func fixed(_ x: Double?, _ digits: Int) -> String {
    guard let x, x.isFinite else { return "NA" }
    let s = cFormat("%.\(digits)f", x)
    return s.hasPrefix("-") && s.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(s.dropFirst()) : s
  }
  /// A p-value as R meta's `formatPT(digits = 4)` prints it: "< 0.0001", "0" for 0, else four
  /// decimals.
  package static func pMeta(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "--" }
    if x == 0 { return "0" }
    return x < 0.0001 ? "< 0.0001" : fixed(x, 4)
  }
  /// A non-integer count (the harmonic mean of n): two decimals.
  package static func count(_ x: Double?) -> String { f(x, 2) }
  /// Full precision, for CSV.
  package static func full(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "NA" }
    return "\(x)"
  }
  /// C's `printf` of one double (`%.4f`, `%.1e`): the same text as Foundation's
  /// `String(format:)`, which formats doubles with the C library in the C locale (orrmeta never
  /// calls `setlocale`, so `LC_NUMERIC` stays "C"), without Foundation's NSString and
  /// CoreFoundation machinery on every command's output path (Docs/performance.md, "Start-up").
  /// `snprintf` is called through a one-line C function (`CNumberFormat`): Swift cannot call a
  /// variadic C function, and `withVaList` built a `CVarArg` list (a class, and existential
  /// casts whose first use scans the binary's conformance records) for every number. The text
  /// goes to a stack buffer. `NumberFormatParityTests` checks it against `String(format:)`.
  static func cFormat(_ format: String, _ x: Double) -> String {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
      let needed = Int(orrmeta_format_double(buffer.baseAddress, buffer.count, format, x))
      // snprintf fails (negative) only on an invalid format; the buffer may then hold no NUL.
      precondition(needed >= 0, "snprintf failed for format \(format)")
      if needed < buffer.count { return String(cString: buffer.baseAddress!) }
      // Only for huge values in fixed notation (up to ~330 characters).
      var long = [CChar](repeating: 0, count: needed + 1)
      _ = orrmeta_format_double(&long, long.count, format, x)
      return long.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
  }
  package static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
    let n = s.count
    if n >= width { return s }
    let fill = String(repeating: " ", count: width - n)
    return right ? fill + s : s + fill
  }
}
