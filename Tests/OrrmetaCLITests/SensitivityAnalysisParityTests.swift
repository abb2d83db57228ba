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

  struct Pair: CustomTestStringConvertible, Sendable {
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

  /// Whether the command accepts the pair (its flags parse and validate).
  static func commandAccepts(_ p: Pair) -> Bool {
    (try? Orrmeta.Sensitivity.parse(["f.csv", "--method", p.method.rawValue] + (p.cluster ? ["--cluster", "trial"] : []) + analyses[p.analysis].flags)) != nil
  }

  /// Whether the batch spec accepts the pair (it resolves as `orrmeta batch --spec` does).
  static func specAccepts(_ p: Pair) -> Bool {
    (try? BatchSpecFile.parse(spec(p), file: "spec.toml").map { s throws(BatchSpecError) in try s.resolve(specFile: "spec.toml") }) != nil
  }

  @Test(arguments: pairs)
  func theCommandAndTheSpecAgree(_ p: Pair) {
    #expect(Self.commandAccepts(p) == Self.specAccepts(p), "command \(Self.commandAccepts(p)), spec \(Self.specAccepts(p))")
  }

  /// Without clusters, a pair is accepted exactly when the rule allows every analysis it selects
  /// (`all`: those of ``SensitivityAnalysisKind/selectedByAll``).
  @Test(arguments: pairs.filter { !$0.cluster })
  func theAcceptedPairsAreTheRule(_ p: Pair) throws {
    let name = Self.analyses[p.analysis].name
    let kinds = name == "all" ? SensitivityAnalysisKind.selectedByAll : [try #require(SensitivityAnalysisKind(argument: name))]
    let allowed = kinds.allSatisfy { $0.supports(method: p.method) }
    #expect(Self.commandAccepts(p) == allowed)
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
