// SPDX-License-Identifier: GPL-3.0-or-later

/// A confidence level, given as a percentage (95) or a fraction (0.95).
public struct ConfidenceLevel: Sendable, Hashable {
  /// The level as a percentage in (50, 100).
  public let percent: Double

  /// α = 1 − level.
  public var alpha: Double { (100 - percent) / 100 }

  /// Accepts a percentage in (50, 100) or a fraction in (0.5, 1), as metafor's `level`.
  ///
  /// metafor also reads values ≤ 0.5 as α itself; orrmeta rejects them because `--level 0.05`
  /// and `--level 5` are far more often typing mistakes than intentional.
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)``.
  public init(_ value: Double) throws(MetaAnalysisError) {
    if value > 50, value < 100 {
      percent = value
    } else if value > 0.5, value < 1 {
      percent = value * 100
    } else {
      throw .invalidSetting(
        name: "level", value: "\(value)",
        expected: "a percentage in (50, 100) such as 95, or a fraction in (0.5, 1) such as 0.95")
    }
  }

  /// 95 %.
  public static let ninetyFive = try! ConfidenceLevel(95)
}
