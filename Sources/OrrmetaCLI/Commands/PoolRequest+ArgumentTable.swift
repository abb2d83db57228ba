// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaReports

extension PoolRequest {
  /// `pool`'s options as an ``ArgumentTable``: the start-up path of `orrmeta pool FILE …`
  /// without argument-parser's reflection and property wrappers. Mirrors the `@Option`s of
  /// ``Orrmeta/Pool`` and its option groups (``ColumnOptions``, ``LabelColumnOption``,
  /// ``RowFilterOptions``, ``ModelOptions``, ``ConfidenceLevelOption``, ``ClusterOptions``,
  /// ``OutputOptions``); `PoolArgumentTableTests` fails when the two differ in a name, a kind, an
  /// arity, a default or the value they parse. Built when asked for (once per `orrmeta pool` run).
  static var argumentTable: ArgumentTable<Self> {
    ArgumentTable(
      initial: PoolRequest(),
      entries: [
        .option("--events-column", of: String.self) { $0.columns.events = $1 },
        .option("--n-column", of: String.self) { $0.columns.total = $1 },
        .option("--label-column", of: String.self) { $0.columns.label = $1 },
        .option("--orr-column", of: String.self) { $0.columns.orr = $1 },
        .option("--by", of: String.self) { $0.columns.by = $1 },
        .option("--exclude", listOf: String.self, upToNextOption: true) { $0.columns.exclude = $1 },
        .option("--where", listOf: String.self) { $0.columns.conditions = $1 },
        .option("--profile", default: ModelChoices.defaults.profile) { $0.model.profile = $1 },
        .option("--measure", of: EffectMeasure.self) { $0.model.measureFlag = $1 },
        .option("--method", of: PoolingMethod.self) { $0.model.methodFlag = $1 },
        .option("--test", of: TestMethod.self) { $0.model.testFlag = $1 },
        .option("--level", default: ModelChoices.defaults.level) { $0.model.level = $1 },
        .option("--ci-method", of: BinomialIntervalMethod.self) { $0.model.ciMethodFlag = $1 },
        .option("--add", of: Double.self) { $0.model.add = $1 },
        .option("--to", default: ModelChoices.defaults.to) { $0.model.to = $1 },
        .option("--nagq", default: ModelChoices.defaults.nagq) { $0.model.nagq = $1 },
        .flag("--tau-common") { $0.model.tauCommon = $1 },
        .option("--convergence", of: Convergence.self) { $0.model.convergenceFlag = $1 },
        .option("--cluster", of: String.self) { $0.cluster = $1 },
        .option("--format", default: ReportFormat.text) { $0.format = $1 },
        .option("--output", "-o", "--out", of: String.self) { $0.output = $1 },
      ],
      positional: ArgumentTable.argument(of: String.self) { $0.file = $1 },
      validate: { try $0.validate() })
  }

  /// The request `arguments` (all of them, starting with `pool`) describe, parsed by
  /// ``argumentTable``; nil for any other command line, which argument-parser then parses.
  static func parsedByTable(_ arguments: [String]) -> Self? {
    guard arguments.first == Orrmeta.Pool.configuration.commandName else { return nil }
    return argumentTable.parse(arguments.dropFirst())
  }
}
