// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// The choices of `orrmeta multiverse` and `orrmeta plot multiverse`: the lists to cross, the
/// shared settings, the reference value and the number of threads.
struct MultiverseOptions: ParsableArguments {
  @Option(parsing: .upToNextOption, help: "Measures (default all: PR, PLN, PLO, PAS, PFT).")
  var measures: [String] = []
  @Option(parsing: .upToNextOption, help: "tau^2 estimators of the inverse-variance models (default all: EE, DL, HE, HS, SJ, ML, REML, EB, PM; the three-level model takes REML and ML).")
  var methods: [String] = []
  @Option(parsing: .upToNextOption, help: "Tests (default z, knha; also t, adhoc). The GLMM takes z and t.")
  var tests: [String] = []
  @Option(name: .customLong("ci-methods"), parsing: .upToNextOption, help: "Binomial CIs of simple pooling (default all: clopper-pearson, wilson, wilson-cc, agresti-coull, jeffreys, wald).")
  var ciMethods: [String] = []
  @Option(parsing: .upToNextOption, help: "Models (default: simple, two-level, glmm, and three-level with --cluster).")
  var models: [String] = []
  @OptionGroup var confidence: ConfidenceLevelOption
  @Option(help: "GLMM quadrature points (1 = Laplace; default 7, as metafor).")
  var nagq: Int = 7
  @Option(help: "A published figure to place in the multiverse (a proportion such as 0.585, or a percentage such as 58.5).")
  var reference: Double?
  @Option(help: "Worker threads (default: all cores). Never changes a result.")
  var jobs: Int?

  /// Checks the flags; `cluster` is the `--cluster` column, if given.
  func validate(cluster: String?) throws {
    let c = try choices()
    if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs) is invalid; expected a whole number >= 1") }
    if let reference, !(reference.isFinite && reference >= 0 && reference <= 100) {
      throw ValidationError("--reference \(reference) is invalid; expected a proportion in [0, 1] or a percentage in (1, 100]")
    }
    if cluster == nil, c.models?.contains(.threeLevel) == true {
      throw ValidationError("--models three-level needs the cluster column: give it with --cluster COLUMN")
    }
  }

  /// The choices to cross, from the list flags.
  func choices() throws -> MultiverseChoices {
    var c = MultiverseChoices()
    if !measures.isEmpty { c.measures = try Self.list("--measures", measures, EffectMeasure.init(argument:)) }
    if !methods.isEmpty { c.methods = try Self.list("--methods", methods) { PoolingMethod(argument: $0)?.tauSquaredMethod } }
    if !tests.isEmpty { c.tests = try Self.list("--tests", tests, TestMethod.init(argument:)) }
    if !ciMethods.isEmpty { c.ciMethods = try Self.list("--ci-methods", ciMethods, BinomialIntervalMethod.init(argument:)) }
    if !models.isEmpty { c.models = try Self.list("--models", models, MultiverseModel.init(rawValue:)) }
    c.level = try confidence.confidenceLevel()
    if !(1...50).contains(nagq) { throw ValidationError("--nagq \(nagq) is invalid; expected 1 to 50") }
    c.quadraturePoints = nagq
    return c
  }

  /// Parses a list flag (repeated or comma-separated), without duplicates, in the order given.
  static func list<T: Equatable>(_ flag: String, _ values: [String], _ parse: (String) -> T?) throws -> [T] {
    var out: [T] = []
    for item in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
      let s = item.trimmingCharacters(in: .whitespaces)
      guard let v = parse(s) else { throw ValidationError("\(flag): '\(s)' is not a valid choice; see --help for the values") }
      if !out.contains(v) { out.append(v) }
    }
    return out
  }

  /// `--reference` as a proportion.
  var referenceProportion: Double? { reference.map { $0 > 1 ? $0 / 100 : $0 } }

  /// Reads the cohort file and fits the multiverse.
  func run(file: String, columns: ColumnOptions, cluster: ClusterOptions) throws -> (CohortFile, MultiverseReport) {
    let cohorts = try CohortFile.read(path: file, columns: columns.selection)
    let clusters = try cluster.read(cohorts)
    let report = MultiversePipeline.run(
      cohorts, choices: try choices(), clusters: clusters, reference: referenceProportion, threads: jobs ?? availableProcessorCount())
    return (cohorts, report)
  }
}
