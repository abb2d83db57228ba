// SPDX-License-Identifier: GPL-3.0-or-later

/// A proportion as a publication reports it: a rounded percentage, optionally its rounded
/// confidence interval, and (when reported) the number of patients it was computed on.
public struct ReportedProportion: Sendable, Hashable {
  /// The percentage, e.g. 58.5.
  public var percent: RoundedFigure
  /// The lower CI bound in percent, if reported.
  public var ciLower: RoundedFigure?
  /// The upper CI bound in percent, if reported.
  public var ciUpper: RoundedFigure?
  /// The level of the reported CI (default 95 %).
  public var level: ConfidenceLevel
  /// The number of patients N, if reported.
  public var patients: Int?

  /// Creates a reported proportion.
  public init(
    percent: RoundedFigure, ciLower: RoundedFigure? = nil, ciUpper: RoundedFigure? = nil,
    level: ConfidenceLevel = .ninetyFive, patients: Int? = nil
  ) {
    self.percent = percent; self.ciLower = ciLower; self.ciUpper = ciUpper; self.level = level; self.patients = patients
  }

  /// Whether both CI bounds are reported.
  public var hasInterval: Bool { ciLower != nil && ciUpper != nil }
}
