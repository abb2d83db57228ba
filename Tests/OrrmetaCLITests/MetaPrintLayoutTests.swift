// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `orrmeta pool --profile meta` text output against R meta 8.2-1's `print(summary(m))` of
/// `metaprop` on the ALK fixture (Fixtures/profiles/meta-print.json, written by
/// Fixtures/profiles/generate_meta_print.R): the GLMM (meta's default) and the inverse-variance
/// model (REML), each with and without `subgroup = line`, the inverse-variance model of the
/// 8 lorlatinib cohorts by line (a subgroup of 2, p-values printed with four decimals),
/// Hartung–Knapp (inverse variance and GLMM), Freeman–Tukey with DerSimonian–Laird (Jackson's τ²
/// CI), raw proportions with Paule–Mandel, PAS (REML), PLN by line (REML), subgroups by
/// generation (one of a single cohort), `tau.common = TRUE` (REML by line, PFT with DL by
/// generation), 90 % levels (`level`, `level.ma`, `level.predict`, `level.hetstat`: `--level 90`), and
/// the three-level model with
/// `cluster = trial` (ML, meta's default there, and REML).
///
/// After orrmeta's own head (file, settings, profile), every line of meta's output must appear
/// in the same order: each line's numbers as printed (meta's rounding: 4 decimals for
/// proportions and τ², 2 for Q and H, 1 for I² and weights, "< 0.0001" p-values) and its words
/// and spacing. The three-level cases also compare meta's values at full precision with the
/// JSON (`--format json`).
@Suite("Profile meta: the layout of meta's print")
struct MetaPrintLayoutTests {
  struct Case: Decodable {
    var id: String
    var call: String
    var orrmeta_args: [String]
    var output: [String]
    var values: Values?
    var subgroup_values: SubgroupValues?
    var residual_values: ResidualValues?
  }
  /// meta's residual heterogeneity with `tau.common = TRUE` (hetcalc's `*.resid`) and the
  /// subgroups' random-effects estimates with the common τ².
  struct ResidualValues: Decodable {
    var tau2_resid: Double
    var Q_resid: Double
    var df_Q_resid: Int
    var pval_Q_resid: Double
    var I2_resid: Double
    var lower_I2_resid: Double
    var upper_I2_resid: Double
    var H_resid: Double
    var lower_H_resid: Double
    var upper_H_resid: Double
    var TE_random_w: [Double]
    var seTE_random_w: [Double]

    enum CodingKeys: String, CodingKey {
      case tau2_resid = "tau2.resid", Q_resid = "Q.resid", df_Q_resid = "df.Q.resid", pval_Q_resid = "pval.Q.resid"
      case I2_resid = "I2.resid", lower_I2_resid = "lower.I2.resid", upper_I2_resid = "upper.I2.resid"
      case H_resid = "H.resid", lower_H_resid = "lower.H.resid", upper_H_resid = "upper.H.resid"
      case TE_random_w = "TE.random.w", seTE_random_w = "seTE.random.w"
    }
  }
  /// meta's subgroup results: each subgroup's common-effect model and the tests between and
  /// within subgroups (`Q.w.common` is NA for the GLMM).
  struct SubgroupValues: Decodable {
    var levels: [String]
    var TE_common_w: [Double]
    var seTE_common_w: [Double]
    var lower_common_w: [Double]
    var upper_common_w: [Double]
    var Q_b_common: Double
    var Q_w_common: Double?
    var df_Q_w: Int?
    var pval_Q_w_common: Double?

    enum CodingKeys: String, CodingKey {
      case levels
      case TE_common_w = "TE.common.w", seTE_common_w = "seTE.common.w", lower_common_w = "lower.common.w"
      case upper_common_w = "upper.common.w", Q_b_common = "Q.b.common", Q_w_common = "Q.w.common"
      case df_Q_w = "df.Q.w", pval_Q_w_common = "pval.Q.w.common"
    }
  }
  struct Values: Decodable {
    var k: Int
    var TE_random: Double
    var seTE_random: Double
    var lower_random: Double
    var upper_random: Double
    var lower_predict: Double
    var upper_predict: Double
    var tau2: [Double]
    var lower_tau2: [Double]
    var upper_tau2: [Double]
    var Q: Double
    var I2: Double
    var lower_I2: Double
    var upper_I2: Double
    var H: Double
    var lower_H: Double
    var upper_H: Double
    var method_tau: String

    enum CodingKeys: String, CodingKey {
      case k, tau2, Q, I2, H
      case TE_random = "TE.random", seTE_random = "seTE.random", lower_random = "lower.random"
      case upper_random = "upper.random", lower_predict = "lower.predict", upper_predict = "upper.predict"
      case lower_tau2 = "lower.tau2", upper_tau2 = "upper.tau2", lower_I2 = "lower.I2", upper_I2 = "upper.I2"
      case lower_H = "lower.H", upper_H = "upper.H", method_tau = "method.tau"
    }
  }
  /// meta's `metareg` on a three-level `metaprop` (an `rma.mv` fit), with meta's defaults and
  /// with a tight optimizer (`tight`).
  struct MetaregCluster: Decodable {
    struct Fit: Decodable {
      var beta: [Double]
      var se: [Double]
      var ci_lb: [Double]
      var ci_ub: [Double]
      var QM: Double
      var QMp: Double
      var sigma2: [Double]

      enum CodingKeys: String, CodingKey {
        case beta, se, QM, QMp, sigma2
        case ci_lb = "ci.lb", ci_ub = "ci.ub"
      }
    }
    var orrmeta_args: [String]
    var method: String
    var test: String
    var QE: Double
    var tight: Fit
  }
  struct Fixture: Decodable {
    var meta_version: String
    var cases: [Case]
    var metareg_cluster: MetaregCluster
  }

  /// The decoded fixture, or why it could not be read (each test that uses it fails with that).
  static let loadedFixture = Result { try decodeFixture(Fixture.self, "profiles/meta-print.json") }
  static var fixture: Fixture { get throws { try loadedFixture.get() } }
  static let cohorts = "Fixtures/alk-nsclc/cohorts.csv"

  /// The numbers of a printed line, as printed ("0.6084", "< 0.0001" counts as "0.0001").
  static func numbers(_ line: String) -> [String] {
    let re = try! NSRegularExpression(pattern: #"-?[0-9]+(\.[0-9]+)?"#)
    return re.matches(in: line, range: NSRange(line.startIndex..., in: line)).map { String(line[Range($0.range, in: line)!]) }
  }

  /// `orrmeta COMMAND cohorts.csv --format json ARGS`, parsed; a non-zero exit is a failure.
  static func json(_ command: String, _ args: [String]) throws -> [String: Any] {
    let r = try runOrrmeta([command, cohorts, "--format", "json"] + args)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    return try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  /// |got − want| ≤ 1e-6 · max(|want|, floor) (floor 1: absolute below 1 in magnitude); exact
  /// zeros agree.
  static func expectClose(_ got: Any?, _ want: Double, _ what: String, floor: Double = 0) {
    let g = got as? Double ?? .nan
    #expect(abs(g - want) <= 1e-6 * max(abs(want), floor) || (want == 0 && g == 0), "\(what): \(g) vs meta \(want)")
  }

  @Test func fixtureIsMeta821() throws {
    #expect(try Self.fixture.meta_version == "8.2.1")
    #expect(try Self.fixture.cases.map(\.id) == [
      "glmm", "glmm_by_line", "inverse", "inverse_by_line", "inverse_lorlatinib_by_line", "inverse_hk", "glmm_hk", "pft_dl",
      "praw_pm", "pas", "pln_by_line", "inverse_by_generation", "inverse_by_line_tau_common",
      "pft_dl_by_generation_tau_common", "inverse_by_line_level90", "cluster_trial", "cluster_trial_reml",
    ])
  }

  @Test(arguments: (try? loadedFixture.get())?.cases.map(\.id) ?? [])
  func printedLinesMatchMeta(_ id: String) throws {
    let c = try #require(Self.fixture.cases.first { $0.id == id })
    let r = try runOrrmeta(["pool", Self.cohorts] + c.orrmeta_args)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let lines = r.stdout.components(separatedBy: "\n")
    // orrmeta's head ends with the profile line; meta's layout starts at its table header.
    #expect(lines.contains { $0.hasPrefix("  profile: meta; defaults changed:") })
    let start = try #require(lines.firstIndex(of: c.output[0]), "\(id): meta's table header not found")
    #expect(lines.count >= start + c.output.count, "\(id): output too short")
    var compared = 0
    for (i, want) in c.output.enumerated() where start + i < lines.count {
      let got = lines[start + i]
      #expect(Self.numbers(got) == Self.numbers(want), "\(id) line \(i + 1): numbers \(Self.numbers(got)) vs meta's \(Self.numbers(want))")
      #expect(got == want, "\(id) line \(i + 1):\n  orrmeta: \(got)\n  meta:    \(want)")
      compared += Self.numbers(want).count
    }
    #expect(compared > 50, "\(id): \(compared) numbers compared")
  }

  /// `subgroups[].common` (meta's `TE.common.w`, `seTE.common.w` and CI, on the logit scale),
  /// `subgroup_test.q_common` (`Q.b.common`) and `q_within`, `q_within_df`, `p_value_within`
  /// (`Q.w.common`; null for the GLMM, where meta has none) at 1e-6 relative; for the GLMM case
  /// absolute below 1 in magnitude: a logit CI bound near 0 (0.0065 for the GLMM's pretreated subgroup) differs by
  /// 2.6e-8, the stopping rule of glm's IRLS (`epsilon = 1e-8` on the deviance) in meta's
  /// logistic common-effect fit, where orrmeta iterates to the optimum.
  @Test(arguments: [
    "glmm_by_line", "inverse_by_line", "inverse_lorlatinib_by_line", "pln_by_line", "inverse_by_generation",
    "inverse_by_line_tau_common", "pft_dl_by_generation_tau_common",
  ])
  func subgroupCommonEffectsAndWithinQ(_ id: String) throws {
    let c = try #require(Self.fixture.cases.first { $0.id == id })
    let v = try #require(c.subgroup_values)
    let d = try Self.json("pool", c.orrmeta_args)
    // The absolute floor only for the GLMM case (glm's IRLS stopping rule, above); the
    // inverse-variance values are relative.
    func close(_ got: Any?, _ want: Double, _ what: String) { Self.expectClose(got, want, "\(id) \(what)", floor: id == "glmm_by_line" ? 1 : 0) }
    let groups = try #require(d["subgroups"] as? [[String: Any]])
    #expect(groups.map { $0["name"] as? String } == v.levels)
    for (i, g) in groups.enumerated() {
      let common = try #require(g["common"] as? [String: Any], "\(id) \(v.levels[i]): common")
      close(common["estimate"], v.TE_common_w[i], "\(v.levels[i]) common estimate")
      close(common["se"], v.seTE_common_w[i], "\(v.levels[i]) common se")
      close(common["ci_lower"], v.lower_common_w[i], "\(v.levels[i]) common ci_lower")
      close(common["ci_upper"], v.upper_common_w[i], "\(v.levels[i]) common ci_upper")
    }
    let t = try #require(d["subgroup_test"] as? [String: Any])
    close(t["q_common"], v.Q_b_common, "Q between (common)")
    if let w = v.Q_w_common, let df = v.df_Q_w, let p = v.pval_Q_w_common {
      close(t["q_within"], w, "Q within")
      #expect(t["q_within_df"] as? Int == df)
      close(t["p_value_within"], p, "p within")
    } else {
      #expect(t["q_within"] is NSNull && t["q_within_df"] is NSNull && t["p_value_within"] is NSNull)
    }
  }

  /// `--tau-common` (meta's `tau.common = TRUE`): the common τ² (`tau2.resid`, the
  /// meta-regression on the subgroups), the residual Q (`Q.resid` = `q_within`), I² and H with
  /// the test-based CIs (`i2_residual*`, `h_residual*`) and each subgroup's random-effects
  /// estimate and SE with the common τ², at 1e-6 relative (REML and DL with a one-cohort subgroup).
  @Test(arguments: ["inverse_by_line_tau_common", "pft_dl_by_generation_tau_common"])
  func tauCommonResidualHeterogeneity(_ id: String) throws {
    let c = try #require(Self.fixture.cases.first { $0.id == id })
    let v = try #require(c.residual_values)
    let d = try Self.json("pool", c.orrmeta_args)
    func close(_ got: Any?, _ want: Double, _ what: String) { Self.expectClose(got, want, "\(id) \(what)") }
    let t = try #require(d["subgroup_test"] as? [String: Any])
    close(t["tau2_common"], v.tau2_resid, "tau2.resid")
    close(t["q_within"], v.Q_resid, "Q.resid")
    #expect(t["q_within_df"] as? Int == v.df_Q_resid)
    close(t["p_value_within"], v.pval_Q_resid, "pval.Q.resid")
    close(t["i2_residual"], 100 * v.I2_resid, "I2.resid")
    close(t["i2_residual_ci_lower"], 100 * v.lower_I2_resid, "lower.I2.resid")
    close(t["i2_residual_ci_upper"], 100 * v.upper_I2_resid, "upper.I2.resid")
    close(t["h_residual"], v.H_resid, "H.resid")
    close(t["h_residual_ci_lower"], v.lower_H_resid, "lower.H.resid")
    close(t["h_residual_ci_upper"], v.upper_H_resid, "upper.H.resid")
    let groups = try #require(d["subgroups"] as? [[String: Any]])
    #expect(groups.count == v.TE_random_w.count)
    for (i, g) in groups.enumerated() {
      let m = try #require(g["model"] as? [String: Any]), h = try #require(g["heterogeneity"] as? [String: Any])
      close(m["estimate"], v.TE_random_w[i], "\(g["name"] ?? i) TE.random.w")
      close(m["se"], v.seTE_random_w[i], "\(g["name"] ?? i) seTE.random.w")
      close(h["tau2"], v.tau2_resid, "\(g["name"] ?? i) tau2")
    }
  }

  /// `regress --cluster --profile meta` is meta's `metareg` of a three-level `metaprop`
  /// (R/metareg.R: `rma.mv` with meta's `method.tau`, ML here, and test "z"): coefficients, SEs,
  /// CIs, QM with its p-value, QE and σ² per level at 1e-6 relative against meta run with a tight
  /// optimizer (with meta's defaults rma.mv's nlminb stops up to 6e-6 from the optimum in σ²).
  @Test func metaregOfThreeLevelMetaprop() throws {
    let v = try Self.fixture.metareg_cluster, t = v.tight
    let d = try Self.json("regress", v.orrmeta_args)
    func close(_ got: Any?, _ want: Double, _ what: String) { Self.expectClose(got, want, "metareg \(what)") }
    let m = try #require(d["meta_regression"] as? [String: Any])
    #expect(m["method"] as? String == v.method)
    #expect(m["test"] as? String == v.test)
    let coefficients = try #require(m["coefficients"] as? [[String: Any]])
    #expect(coefficients.count == t.beta.count)
    for (i, c) in coefficients.enumerated() {
      close(c["estimate"], t.beta[i], "beta[\(i)]")
      close(c["se"], t.se[i], "se[\(i)]")
      close(c["ci_lower"], t.ci_lb[i], "ci.lb[\(i)]")
      close(c["ci_upper"], t.ci_ub[i], "ci.ub[\(i)]")
    }
    close(m["qm"], t.QM, "QM")
    close(m["qm_p_value"], t.QMp, "QMp")
    close(m["qe"], v.QE, "QE")
    let levels = try #require((d["multilevel"] as? [String: Any])?["levels"] as? [[String: Any]])
    for l in 0..<2 { close(levels[l]["sigma2"], t.sigma2[l], "sigma2[\(l)]") }
  }

  /// The three-level model under `--profile meta` (metaprop with `cluster =`): no common-effect
  /// model (meta sets `common <- FALSE`), the t(k − 1) prediction interval over the k estimates
  /// with √(SE² + σ²₁ + σ²₂), I² and H from Q with the test-based CIs, σ² per level, μ and its
  /// CI — at 1e-6 relative, and so are the σ² profile-likelihood CI bounds: meta's `confint`
  /// runs metafor's `uniroot` with its default tolerance 2⁻¹³, which the meta profile's
  /// `--convergence metafor` reproduces step by step (largest deviation on these data 2e-9; the
  /// exact roots of `--convergence exact` differ by up to 2.9e-5). σ² itself differs by up to
  /// 2.9e-7 (REML: rma.mv's nlminb stops before the optimum orrmeta reports).
  @Test(arguments: ["cluster_trial", "cluster_trial_reml"])
  func threeLevelConventions(_ id: String) throws {
    let c = try #require(Self.fixture.cases.first { $0.id == id })
    let v = try #require(c.values)
    let d = try Self.json("pool", c.orrmeta_args)
    let settings = try #require(d["settings"] as? [String: Any])
    #expect(settings["method"] as? String == v.method_tau)
    #expect(d["common"] is NSNull)
    let m = try #require(d["model"] as? [String: Any]), h = try #require(d["heterogeneity"] as? [String: Any])
    let levels = try #require((d["multilevel"] as? [String: Any])?["levels"] as? [[String: Any]])
    func close(_ got: Any?, _ want: Double, _ what: String) { Self.expectClose(got, want, "\(id) \(what)") }
    close(m["estimate"], v.TE_random, "estimate")
    close(m["se"], v.seTE_random, "se")
    close(m["ci_lower"], v.lower_random, "ci_lower")
    close(m["ci_upper"], v.upper_random, "ci_upper")
    close(m["pi_lower"], v.lower_predict, "pi_lower")
    close(m["pi_upper"], v.upper_predict, "pi_upper")
    close(h["q"], v.Q, "Q")
    close(h["i2"], 100 * v.I2, "I2")
    close(h["i2_ci_lower"], 100 * v.lower_I2, "I2 lower")
    close(h["i2_ci_upper"], 100 * v.upper_I2, "I2 upper")
    close(h["h"], v.H, "H")
    close(h["h_ci_lower"], v.lower_H, "H lower")
    close(h["h_ci_upper"], v.upper_H, "H upper")
    for l in 0..<2 {
      close(levels[l]["sigma2"], v.tau2[l], "sigma2[\(l)]")
      close(levels[l]["sigma2_ci_lower"], v.lower_tau2[l], "sigma2[\(l)] lower")
      close(levels[l]["sigma2_ci_upper"], v.upper_tau2[l], "sigma2[\(l)] upper")
    }
  }
}
