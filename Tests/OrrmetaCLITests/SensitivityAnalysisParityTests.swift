// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
@testable import OrrmetaCLI
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// One rule for which model allows which sensitivity analysis
/// (``SensitivityAnalysisKind/supports(method:)``): `orrmeta sensitivity` and a batch spec's
/// `type = "sensitivity"` analysis accept and refuse exactly the same (method, analysis) pairs,
/// with and without a cluster column, and the pairs they accept are those the rule allows.
@Suite("Sensitivity analyses: the command and the batch spec follow one rule")
struct SensitivityAnalysisParityTests {
  /// Each analysis of a spec's list with the command's flags for it (GOSH with a subset limit,
  /// which the three-level GOSH requires).
  static let analyses: [(name: String, spec: String, flags: [String])] =
    SensitivityAnalysisOptions.analysisNames.map { name in
      switch name {
      case "bootstrap": return (name, "analyses = [\"bootstrap\"]\nbootstrap = 100", ["--bootstrap", "100"])
      case "gosh": return (name, "analyses = [\"gosh\"]\nsubsets = 50", ["--gosh", "--subsets", "50"])
      default: return (name, "analyses = [\"\(name)\"]", ["--\(name)"])
      }
    }

  struct Pair: CustomTestStringConvertible, Hashable, Sendable {
    let method: PoolingMethod
    let analysis: Int
    let cluster: Bool
    var testDescription: String { "\(method.rawValue) \(SensitivityAnalysisParityTests.analyses[analysis].name)\(cluster ? " --cluster" : "")" }
  }

  static let pairs: [Pair] = PoolingMethod.allCases.flatMap { m in
    analyses.indices.flatMap { a in [false, true].map { Pair(method: m, analysis: a, cluster: $0) } }
  }

  static func spec(_ p: Pair) -> String {
    "[analyses.a]\ntype = \"sensitivity\"\nmethod = \"\(p.method.rawValue)\"\n" + (p.cluster ? "cluster = \"trial\"\n" : "") + analyses[p.analysis].spec + "\n"
  }

  /// Whether the command accepts the pair: its whole argument list parsed and validated by
  /// argument-parser, as `orrmeta sensitivity` is (about 0.1 s each in a debug build, so the
  /// suite does it for a sample: ``verdicts`` composes the same parse for every pair).
  static func commandAccepts(_ p: Pair) -> Bool {
    (try? Orrmeta.Sensitivity.parse(["f.csv", "--method", p.method.rawValue] + (p.cluster ? ["--cluster", "trial"] : []) + analyses[p.analysis].flags)) != nil
  }

  /// Whether the batch spec accepts the pair (it resolves as `orrmeta batch --spec` does).
  static func specAccepts(_ p: Pair) -> Bool {
    (try? BatchSpecFile.parse(spec(p), file: "spec.toml").map { s throws(BatchSpecError) in try s.resolve(specFile: "spec.toml") }) != nil
  }

  /// Whether the command and the spec accept each pair (in ``pairs`` order), computed once.
  ///
  /// An argument-parser parse takes tens of milliseconds in a debug build, and each of the 176
  /// pairs needs several, so the verdicts are composed from parses shared between pairs, each
  /// part validated exactly as in the full parse:
  /// - the command: `orrmeta sensitivity` parsed once per analysis (with `--method REML`, which
  ///   allows every analysis), its `--method` and `--cluster` option groups parsed once per
  ///   method and once, set on the parsed command, and the command's own `validate()` run (the
  ///   parser validates each option group on its own, and the command's `validate()` holds
  ///   every rule between groups);
  /// - the spec: the sensitivity keys resolved once per analysis (`sensitivityOptions`, the
  ///   method-independent first step of `resolveSensitivity`), the model parsed once per method
  ///   (the only model key of these specs is `method`), and every pair's own spec text parsed
  ///   and checked against its method and cluster (the second step of `resolveSensitivity`,
  ///   the step of `resolve(specFile:)` after the model keys).
  /// ``theCompositionIsTheFullParse`` checks both compositions against the full parses on a
  /// sample that covers every method, analysis and cluster setting.
  static let verdicts: (command: [Bool], spec: [Bool]) = {
    let methods = PoolingMethod.allCases
    let commands = analyses.map { a in try? Orrmeta.Sensitivity.parse(["f.csv", "--method", "REML"] + a.flags) }
    let cluster = try? ClusterOptions.parse(["--cluster", "trial"])
    let commandModels = Dictionary(uniqueKeysWithValues: methods.map { m in (m, try? ModelFlags<SensitivityScope>.parse(["--method", m.rawValue])) })
    let specModels = Dictionary(uniqueKeysWithValues: methods.map { m in (m, try? ModelOptions.parse(["--method=\(m.rawValue)"])) })
    let command = pairs.map { p -> Bool in
      guard var c = commands[p.analysis], let model = commandModels[p.method] ?? nil else { return false }
      c.input.model = model
      if p.cluster {
        guard let cluster else { return false }
        c.clusterOptions = cluster
      }
      return (try? c.validate()) != nil
    }
    // The spec's analyses and options parsed once per analysis (they do not depend on the
    // method or the cluster), then every pair's own spec checked against its method and cluster.
    let options = analyses.indices.map { a in
      try? BatchSpecFile.parse(spec(Pair(method: .REML, analysis: a, cluster: false)), file: "spec.toml").first?.sensitivityOptions(specFile: "spec.toml")
    }
    let specVerdicts = pairs.map { p -> Bool in
      guard let model = specModels[p.method] ?? nil, let o = options[p.analysis] ?? nil,
            let parsed = try? BatchSpecFile.parse(spec(p), file: "spec.toml"), parsed.count == 1 else { return false }
      return (try? parsed[0].resolveSensitivity(o.0, seed: o.seed, specFile: "spec.toml", method: model.method, cluster: p.cluster ? "trial" : nil)) != nil
    }
    return (command, specVerdicts)
  }()

  @Test func theCommandAndTheSpecAgree() {
    #expect(Self.verdicts.command.count == Self.pairs.count && Self.verdicts.spec.count == Self.pairs.count)
    for (i, p) in Self.pairs.enumerated() {
      #expect(Self.verdicts.command[i] == Self.verdicts.spec[i], "\(p.testDescription): command \(Self.verdicts.command[i]), spec \(Self.verdicts.spec[i])")
    }
  }

  /// The composed verdicts are those of the full parses (the whole command line; the whole
  /// spec through `resolve(specFile:)`), on a sample of one pair per method that covers every
  /// analysis, both cluster settings, and accepted and refused pairs.
  @Test func theCompositionIsTheFullParse() {
    let sample = PoolingMethod.allCases.enumerated().map { (k, m) in
      Pair(method: m, analysis: k % Self.analyses.count, cluster: k % 2 == 1)
    }
    #expect(Set(sample.map { $0.analysis }).count == Self.analyses.count && Set(sample.map { $0.cluster }).count == 2)
    #expect(Set(sample.map { Self.verdicts.command[Self.pairs.firstIndex(of: $0)!] }) == [false, true])
    for p in sample {
      let i = Self.pairs.firstIndex(of: p)!
      #expect(Self.verdicts.command[i] == Self.commandAccepts(p), "\(p.testDescription)")
      #expect(Self.verdicts.spec[i] == Self.specAccepts(p), "\(p.testDescription)")
    }
  }

  /// Without clusters, a pair is accepted exactly when the rule allows every analysis it selects
  /// (`all`: those of ``SensitivityAnalysisKind/selectedByAll``).
  @Test func theAcceptedPairsAreTheRule() throws {
    for (i, p) in Self.pairs.enumerated() where !p.cluster {
      let name = Self.analyses[p.analysis].name
      let kinds = name == "all" ? SensitivityAnalysisKind.selectedByAll : [try #require(SensitivityAnalysisKind(argument: name))]
      let allowed = kinds.allSatisfy { $0.supports(method: p.method) }
      #expect(Self.verdicts.command[i] == allowed, "\(p.testDescription)")
    }
  }

  @Test func theRuleItself() {
    // Every inverse-variance method: everything; GLMM: the refits on subsets; pooled: nothing.
    for m in PoolingMethod.allCases {
      let supported = SensitivityAnalysisKind.allCases.filter { $0.supports(method: m) }
      switch m {
      case .pooled: #expect(supported.isEmpty)
      case .GLMM: #expect(supported == [.leaveOneOut, .cumulative])
      default: #expect(supported == SensitivityAnalysisKind.allCases)
      }
    }
    #expect(SensitivityAnalysisKind.allCases.filter { !$0.supportsClusters } == [.trimFill])
    #expect(SensitivityAnalysisOptions.analysisNames == ["leave-one-out", "influence", "cumulative", "bias", "trimfill", "gosh", "bootstrap", "all"])
    #expect(Self.pairs.count == 176)
  }

  @Test func theGLMMRefusalNamesTheAnalysesItSupports() throws {
    let p = Pair(method: .GLMM, analysis: 1, cluster: false)
    let command = Result { try Orrmeta.Sensitivity.parse(["f.csv", "--method", "GLMM", "--influence"]) }
    guard case .failure(let error) = command else { Issue.record("--method GLMM --influence was accepted"); return }
    #expect(Orrmeta.Sensitivity.message(for: error).contains("--method GLMM supports only --leave-one-out and --cumulative"))
    do {
      _ = try BatchSpecFile.parse(Self.spec(p), file: "spec.toml").map { s throws(BatchSpecError) in try s.resolve(specFile: "spec.toml") }
      Issue.record("the spec was accepted")
    } catch {
      #expect(error.description.contains("spec.toml: [analyses.a] method = \"GLMM\"") && error.description.contains("--leave-one-out and --cumulative"), "\(error.description)")
    }
  }
}
