// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// Meta-regression and permutation tests against metafor 3.8-1.
@Suite("Meta-regression vs metafor")
struct SensitivityRegressionTests {
  static func compare(_ fit: MetaRegressionFit, _ c: JSONObject, _ cmp: Comparison, _ tag: String) {
    cmp.require(fit.coefficients.map(\.name) == c.strings("names"), "\(tag) names \(fit.coefficients.map(\.name)) vs \(c.strings("names"))")
    cmp.check("\(tag) beta", fit.coefficients.map(\.estimate), c.doubles("beta"))
    cmp.check("\(tag) se", fit.coefficients.map(\.standardError), c.doubles("se"))
    cmp.check("\(tag) z", fit.coefficients.map(\.statistic), c.doubles("zval"))
    cmp.check("\(tag) p", fit.coefficients.map(\.pValue), c.doubles("pval"))
    cmp.check("\(tag) ci.lb", fit.coefficients.map(\.ciLower), c.doubles("ci_lower"))
    cmp.check("\(tag) ci.ub", fit.coefficients.map(\.ciUpper), c.doubles("ci_upper"))
    cmp.check("\(tag) tau2", fit.tau2.tau2, c.double("tau2"), atol: 1e-12)
    if c.has("se_tau2") { cmp.check("\(tag) se.tau2", fit.tau2.standardError, c.double("se_tau2")) }
    cmp.check("\(tag) QM", fit.qm, c.double("qm"))
    cmp.check("\(tag) QMp", fit.qmPValue, c.double("qmp"))
    cmp.check("\(tag) QE", fit.qe, c.double("qe"))
    cmp.check("\(tag) QEp", fit.qePValue, c.double("qep"))
    cmp.check("\(tag) I2", fit.i2, c.double("i2"), atol: 1e-9)
    cmp.check("\(tag) H2", fit.h2, c.double("h2"))
    if c.has("r2") { cmp.check("\(tag) R2", fit.r2 ?? .nan, c.double("r2"), atol: 1e-9) }
  }

  @Test("debruin2009: ethnicity (factor) + scq")
  func debruin() throws {
    let file = try JSONObject.load("metareg_debruin2009_PLO.json")
    let d = file["data"]!
    let mods: [Moderator] = [
      .categorical(name: "ethnicity", values: d.strings("ethnicity")), .continuous(name: "scq", values: d.doubles("scq")),
    ]
    let cmp = Comparison()
    for c in file.objects("cases") {
      let fit = try MetaRegression.fit(
        yi: d.doubles("yi"), vi: d.doubles("vi"), moderators: mods, method: TauSquaredMethod(rawValue: c.string("method"))!,
        test: TestMethod(rawValue: c.string("test"))!, control: metaforTight)
      Self.compare(fit, c, cmp, "debruin \(c.string("method"))/\(c.string("test"))")
    }
    print("[sensitivity] meta-regression debruin2009: max rel deviation \(cmp.maxRelative) at \(cmp.maxWhere)")
    #expect(cmp.failures.isEmpty, "\(cmp.failures.count): \(cmp.failures.prefix(8))")
  }

  @Test("ALK cohorts: generation + line (factors) + year (rows with missing year dropped)")
  func alk() throws {
    let file = try JSONObject.load("metareg_alk_PLO.json")
    let d = file["data"]!
    let year = d.doubles("year")
    let keep = year.indices.filter { !year[$0].isNaN }
    func pick<T>(_ a: [T]) -> [T] { keep.map { a[$0] } }
    let mods: [Moderator] = [
      .categorical(name: "generation", values: pick(d.strings("generation"))),
      .categorical(name: "line", values: pick(d.strings("line"))),
      .continuous(name: "year", values: pick(year)),
    ]
    let cmp = Comparison()
    for c in file.objects("cases") {
      let fit = try MetaRegression.fit(
        yi: pick(d.doubles("yi")), vi: pick(d.doubles("vi")), moderators: mods,
        method: TauSquaredMethod(rawValue: c.string("method"))!, test: TestMethod(rawValue: c.string("test"))!,
        control: metaforTight)
      Self.compare(fit, c, cmp, "alk \(c.string("method"))/\(c.string("test"))")
    }
    print("[sensitivity] meta-regression ALK: max rel deviation \(cmp.maxRelative) at \(cmp.maxWhere)")
    #expect(cmp.failures.isEmpty, "\(cmp.failures.count): \(cmp.failures.prefix(8))")
  }

  @Test("intercept-only regression equals the pooled model", arguments: TauSquaredMethod.allCases)
  func interceptOnly(_ method: TauSquaredMethod) throws {
    let file = try JSONObject.load("random20_PLO.json")
    let d = file["data"]!
    let y = d.doubles("yi"), v = d.doubles("vi")
    for test in [TestMethod.z, .knha] {
      let reg = try MetaRegression.fit(yi: y, vi: v, moderators: [], method: method, test: test, control: metaforTight)
      let pooled = try RandomEffectsModel.fit(yi: y, vi: v, method: method, test: test, control: metaforTight)
      #expect(isClose(reg.coefficients[0].estimate, pooled.estimate, rtol: 1e-10))
      #expect(isClose(reg.coefficients[0].standardError, pooled.standardError, rtol: 1e-10))
      #expect(isClose(reg.tau2.tau2, pooled.tau2.tau2, rtol: 1e-9, atol: 1e-13))
      if method != .EE { #expect(isClose(reg.tau2.standardError, pooled.tau2.standardError, rtol: 1e-8)) }
      #expect(isClose(reg.qe, pooled.q, rtol: 1e-10))
      #expect(isClose(reg.i2, pooled.i2, rtol: 1e-9, atol: 1e-12))
      #expect(reg.r2 == nil)
    }
  }

  @Test("exact permutation tests match metafor (k = 8)")
  func permutation() throws {
    let file = try JSONObject.load("permutest_pritz8_PLO.json")
    let d = file["data"]!
    let y = d.doubles("yi"), v = d.doubles("vi")
    let intercept = try DesignMatrix(k: y.count, moderators: [])
    let grp = try DesignMatrix(k: y.count, moderators: [.categorical(name: "grp", values: d.strings("grp"))])
    for c in file.objects("cases") {
      let method = TauSquaredMethod(rawValue: c.string("method"))!, test = TestMethod(rawValue: c.string("test"))!
      for threads in [1, 3] {
        let opts = PermutationTestOptions(iterations: 1000, threads: threads)
        let p0 = try MetaRegression.permutationTest(
          yi: y, vi: v, design: intercept, method: method, test: test, control: metaforTight, options: opts)
        #expect(p0.exact && p0.iterations == 256)
        #expect(isClose(p0.pValues[0], c.double("intercept_only_pval"), rtol: 1e-12))
        #expect(isClose(p0.qmPValue, c.double("intercept_only_qmp"), rtol: 1e-12))
        let p1 = try MetaRegression.permutationTest(
          yi: y, vi: v, design: grp, method: method, test: test, control: metaforTight, options: opts)
        #expect(p1.exact && p1.iterations == Int(c.double("mods_iter")))
        let ref = c.doubles("mods_pval")
        for j in 0..<2 { #expect(isClose(p1.pValues[j], ref[j], rtol: 1e-12), "\(method)/\(test) coef \(j): \(p1.pValues[j]) vs \(ref[j])") }
        #expect(isClose(p1.qmPValue, c.double("mods_qmp"), rtol: 1e-12))
      }
    }
  }

  @Test("approximate permutation test: thread-count independent, seed dependent")
  func permutationDeterminism() throws {
    let file = try JSONObject.load("metareg_debruin2009_PLO.json")
    let d = file["data"]!
    let design = try DesignMatrix(k: d.doubles("yi").count, moderators: [.continuous(name: "scq", values: d.doubles("scq"))])
    func run(_ seed: UInt64, _ threads: Int) throws -> PermutationTestResult {
      try MetaRegression.permutationTest(
        yi: d.doubles("yi"), vi: d.doubles("vi"), design: design, method: .REML, control: metaforTight,
        options: PermutationTestOptions(iterations: 300, seed: seed, threads: threads))
    }
    let a = try run(5, 1), b = try run(5, 4), c = try run(6, 4)
    #expect(!a.exact)
    #expect(a == b)
    #expect(a.pValues != c.pValues || a.qmPValue != c.qmPValue)
    #expect(a.pValues.allSatisfy { $0 > 0 && $0 <= 1 })
  }
}
