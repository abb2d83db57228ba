// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// A `regress` analysis of a spec is read with the flags of `orrmeta regress` (the command's
/// own validation), so that the spec accepts and refuses exactly what the command does:
/// `mods = ["line"]` is `--mods line`, `categorical`, `reference` and `interaction` are
/// `--categorical`, `--reference` and `--interaction`.
extension BatchAnalysisSpec {
  func resolveRegression(specFile file: String, model: ModelOptions) throws(BatchSpecError) -> BatchRegression {
    guard let mods = entry("mods"), !mods.values.isEmpty else {
      throw BatchSpecError(file: file, table: table, reason: "a regress analysis needs mods = [...], the moderator columns (for example mods = [\"line\"])")
    }
    var arguments = ["FILE.csv"]
    for key in BatchAnalysisKind.regressKeys {
      guard let e = entry(key), !e.values.isEmpty else { continue }
      arguments.append(e.flag)
      arguments += e.values
    }
    let command: Orrmeta.Regress
    do {
      command = try Orrmeta.Regress.parse(arguments)
      try model.requireInverseVariance("meta-regression")
    } catch {
      throw BatchSpecError(file: file, table: table, reason: Orrmeta.Regress.message(for: error))
    }
    let pairs: [(String, String)]
    do { pairs = try command.interactionPairs() } catch {
      throw BatchSpecError(file: file, table: table, reason: Orrmeta.Regress.message(for: error))
    }
    return BatchRegression(mods: command.mods, categorical: command.categorical, references: command.references, interactions: pairs)
  }
}
