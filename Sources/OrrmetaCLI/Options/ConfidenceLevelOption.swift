// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion

/// `--level`, the confidence level as a percentage or a fraction: the one owner of the flag, its
/// help and its check, shared by the model flags (``ModelFlags``), `orrmeta pfs` and the
/// multiverse (``MultiverseOptions``).
struct ConfidenceLevelOption: ParsableArguments {
  @Option(help: "Confidence level, as a percentage (95) or a fraction (0.95).")
  var level: Double = Self.defaultLevel

  /// The default level (95 %), also ``ModelChoices``'s.
  static let defaultLevel: Double = 95

  /// The level, checked: a usage error outside (50, 100) and (0.5, 1) (``ConfidenceLevel``).
  func confidenceLevel() throws -> ConfidenceLevel { try Self.confidenceLevel(level) }

  /// ``confidenceLevel()`` of a `--level` value held apart from the flag (``ModelChoices``).
  static func confidenceLevel(_ level: Double) throws -> ConfidenceLevel {
    do { return try ConfidenceLevel(level) } catch { throw ValidationError(error.description) }
  }
}
