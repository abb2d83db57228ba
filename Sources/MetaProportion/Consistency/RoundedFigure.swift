// SPDX-License-Identifier: GPL-3.0-or-later

/// A number as printed in a publication: its value and the number of decimals it was rounded
/// to. 58.5 printed with one decimal stands for any true value in [58.45, 58.55].
///
/// Both ends of that range are admitted, because a publication may round an exact half either
/// way (half up, half to even, or a value that is a hair below the half before rounding); this
/// is the "either rounding direction" allowance of the GRIM test (Brown & Heathers 2017).
public struct RoundedFigure: Sendable, Hashable, CustomStringConvertible {
  /// The printed value.
  public let value: Double
  /// The number of decimals printed (0–10).
  public let decimals: Int

  /// Creates a figure.
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` for a non-finite value
  ///   or a number of decimals outside 0–10.
  public init(_ value: Double, decimals: Int) throws(MetaAnalysisError) {
    guard value.isFinite else { throw .invalidSetting(name: "reported value", value: "\(value)", expected: "a finite number") }
    guard (0...10).contains(decimals) else {
      throw .invalidSetting(name: "decimals", value: "\(decimals)", expected: "0 to 10")
    }
    self.value = value
    self.decimals = decimals
  }

  /// Half a unit in the last printed decimal: 0.5·10⁻ᵈ.
  public var halfUnit: Double {
    var u = 0.5
    for _ in 0..<decimals { u /= 10 }
    return u
  }

  /// Whether `x` rounds to this figure (|x − value| ≤ ½·10⁻ᵈ, with a relative slack of 10⁻⁹ of
  /// that half unit for floating-point noise).
  public func admits(_ x: Double) -> Bool {
    x.isFinite && abs(x - value) <= halfUnit * (1 + 1e-9)
  }

  /// The value printed with its decimals (no Foundation), e.g. "58.5".
  public var description: String { Self.format(value, decimals: decimals) }

  /// Formats `x` with `decimals` decimals, rounding half away from zero.
  public static func format(_ x: Double, decimals: Int) -> String {
    guard x.isFinite else { return "NA" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
    guard scaled < 9e15 else { return "\(x)" }
    let digits = String(Int64(scaled))
    let negative = x < 0 && scaled != 0
    if decimals == 0 { return (negative ? "-" : "") + digits }
    let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
    let cut = padded.index(padded.endIndex, offsetBy: -decimals)
    return (negative ? "-" : "") + padded[..<cut] + "." + padded[cut...]
  }
}
