// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaReports

extension Orrmeta.Pool {
  /// `pool`'s options as an ``ArgumentTable``: the start-up path of `orrmeta pool FILE …`
  /// without argument-parser's reflection. Mirrors the `@Option`s of `Pool` and its option groups
  /// (``ColumnOptions``, ``RowFilterOptions``, ``ModelOptions``, ``ClusterOptions``,
  /// ``OutputOptions``); `PoolArgumentTableTests` fails when the two differ in a name, a kind, an
  /// arity or a default. Built when asked for (once per `orrmeta pool` run).
  static var argumentTable: ArgumentTable<Self> {
    ArgumentTable(
      groups: [
        .group(\.columns) { $0.columns = $1 },
        .group(\.columns.labelColumn) { $0.columns.labelColumn = $1 },
        .group(\.columns.rows) { $0.columns.rows = $1 },
        .group(\.model) { $0.model = $1 },
        .group(\.model.confidence) { $0.model.confidence = $1 },
        .group(\.clusterOptions) { $0.clusterOptions = $1 },
        .group(\.outputOptions) { $0.outputOptions = $1 },
      ],
      entries: [
        .option("--events-column", of: String.self) { $0.columns.events = $1 },
        .option("--n-column", of: String.self) { $0.columns.total = $1 },
        .option("--label-column", of: String.self) { $0.columns.labelColumn.label = $1 },
        .option("--orr-column", of: String.self) { $0.columns.orr = $1 },
        .option("--by", of: String.self) { $0.columns.by = $1 },
        .option("--exclude", listOf: String.self, upToNextOption: true) { $0.columns.rows.exclude = $1 },
        .option("--where", listOf: String.self) { $0.columns.rows.conditions = $1 },
        .option("--profile", default: AnalysisProfile.orrmeta) { $0.model.profile = $1 },
        .option("--measure", of: EffectMeasure.self) { $0.model.measureFlag = $1 },
        .option("--method", of: PoolingMethod.self) { $0.model.methodFlag = $1 },
        .option("--test", of: TestMethod.self) { $0.model.testFlag = $1 },
        .option("--level", default: Double(95)) { $0.model.confidence.level = $1 },
        .option("--ci-method", of: BinomialIntervalMethod.self) { $0.model.ciMethodFlag = $1 },
        .option("--add", of: Double.self) { $0.model.add = $1 },
        .option("--to", default: ZeroCellRule.only0) { $0.model.to = $1 },
        .option("--nagq", default: 7) { $0.model.nagq = $1 },
        .flag("--tau-common") { $0.model.tauCommon = $1 },
        .option("--convergence", of: Convergence.self) { $0.model.convergenceFlag = $1 },
        .option("--cluster", of: String.self) { $0.clusterOptions.column = $1 },
        .option("--format", default: ReportFormat.text) { $0.outputOptions.format = $1 },
        .option("--output", "-o", "--out", of: String.self) { $0.outputOptions.output = $1 },
      ],
      positional: ArgumentTable.argument(of: String.self) { $0.file = $1 })
  }

  /// The command `arguments` (all of them, starting with `pool`) describe, parsed by
  /// ``argumentTable``; nil for any other command line, which argument-parser then parses.
  static func parsedByTable(_ arguments: [String]) -> Self? {
    guard arguments.first == configuration.commandName else { return nil }
    return argumentTable.parse(arguments.dropFirst())
  }
}
