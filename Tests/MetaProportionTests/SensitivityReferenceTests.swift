// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// Leave-one-out, influence, Baujat, cumulative, small-study tests and trim-and-fill against
/// metafor 3.8-1 (Fixtures/sensitivity/generate_sensitivity.R).
@Suite("Sensitivity analyses vs metafor")
struct SensitivityReferenceTests {
  static let files = [
    "pritz1997_PLO.json", "pritz1997_PFT.json", "debruin2009_PLO.json", "debruin2009_PFT.json",
    "alk_PLO.json", "alk_PFT.json", "random20_PLO.json", "random20_PFT.json",
  ]

  static func analysis(_ file: JSONObject, _ c: JSONObject) throws -> SensitivityAnalysis {
    let data = file["data"]!
    let measure = EffectMeasure(rawValue: file.string("measure"))!
    return try SensitivityAnalysis(
      yi: data.doubles("yi"), vi: data.doubles("vi"), labels: data.strings("label"),
      sampleSizes: data.doubles("ni"), method: TauSquaredMethod(rawValue: c.string("method"))!,
      test: TestMethod(rawValue: c.string("test"))!, control: metaforTight,
      backTransformation: measure.backTransformation)
  }

  @Test("escalc outcomes match metafor", arguments: files)
  func outcomes(_ name: String) throws {
    let file = try JSONObject.load(name)
    let data = file["data"]!
    let labels = data.strings("label"), x = data.doubles("xi"), n = data.doubles("ni")
    let studies = try (0..<labels.count).map { try ProportionStudy(label: labels[$0], events: Int(x[$0]), total: Int(n[$0])) }
    let es = try EffectSizes(studies: studies, measure: EffectMeasure(rawValue: file.string("measure"))!)
    let cmp = Comparison(rtol: 1e-12, atol: 1e-14)
    cmp.check("yi", es.yi, data.doubles("yi"))
    cmp.check("vi", es.vi, data.doubles("vi"))
    #expect(cmp.failures.isEmpty, "\(cmp.failures.prefix(5))")
  }

  @Test("leave-one-out, influence, Baujat", arguments: files)
  func caseDeletion(_ name: String) throws {
    let file = try JSONObject.load(name)
    let cmp = Comparison()
    for c in file.objects("cases") {
      let tag = "\(name) \(c.string("method"))/\(c.string("test"))"
      let a = try Self.analysis(file, c)
      let model = c["model"]!
      cmp.check("\(tag) model estimate", a.fit.estimate, model.double("estimate"))
      cmp.check("\(tag) model tau2", a.fit.tau2.tau2, model.double("tau2"))
      let cd = try a.caseDeletion()
      let l = c["leave1out"]!
      cmp.check("\(tag) loo estimate", cd.leaveOneOut.map(\.estimate), l.doubles("estimate"))
      cmp.check("\(tag) loo se", cd.leaveOneOut.map(\.standardError), l.doubles("se"))
      cmp.check("\(tag) loo stat", cd.leaveOneOut.map(\.statistic), l.doubles("zval"))
      cmp.check("\(tag) loo p", cd.leaveOneOut.map(\.pValue), l.doubles("pval"))
      cmp.check("\(tag) loo ci.lb", cd.leaveOneOut.map(\.ciLower), l.doubles("ci_lower"))
      cmp.check("\(tag) loo ci.ub", cd.leaveOneOut.map(\.ciUpper), l.doubles("ci_upper"))
      cmp.check("\(tag) loo Q", cd.leaveOneOut.map(\.q), l.doubles("q"))
      cmp.check("\(tag) loo Qp", cd.leaveOneOut.map(\.qPValue), l.doubles("qp"))
      cmp.check("\(tag) loo tau2", cd.leaveOneOut.map(\.tau2), l.doubles("tau2"))
      cmp.check("\(tag) loo I2", cd.leaveOneOut.map(\.i2), l.doubles("i2"))
      cmp.check("\(tag) loo H2", cd.leaveOneOut.map(\.h2), l.doubles("h2"))
      let inf = c["influence"]!
      cmp.check("\(tag) rstudent", cd.influence.map(\.rstudent), inf.doubles("rstudent"))
      cmp.check("\(tag) dffits", cd.influence.map(\.dffits), inf.doubles("dffits"))
      cmp.check("\(tag) cook", cd.influence.map(\.cookDistance), inf.doubles("cook_d"))
      cmp.check("\(tag) cov.r", cd.influence.map(\.covarianceRatio), inf.doubles("cov_r"))
      cmp.check("\(tag) tau2.del", cd.influence.map(\.tau2Deleted), inf.doubles("tau2_del"))
      cmp.check("\(tag) QE.del", cd.influence.map(\.qDeleted), inf.doubles("qe_del"))
      cmp.check("\(tag) hat", cd.influence.map(\.hat), inf.doubles("hat"))
      cmp.check("\(tag) weight", cd.influence.map(\.weight), inf.doubles("weight"))
      cmp.check("\(tag) dfbetas", cd.influence.map(\.dfbetas), inf.doubles("dfbetas"))
      cmp.require(cd.influence.map(\.influential) == inf.bools("influential"), "\(tag) influential flags differ")
      let bj = c["baujat"]!
      cmp.check("\(tag) baujat x", cd.baujat.map(\.x), bj.doubles("x"))
      cmp.check("\(tag) baujat y", cd.baujat.map(\.y), bj.doubles("y"))
    }
    print("[sensitivity] \(name) case deletion: max rel deviation \(cmp.maxRelative) at \(cmp.maxWhere)")
    #expect(cmp.failures.isEmpty, "\(cmp.failures.count) failures: \(cmp.failures.prefix(8))")
  }

  @Test("cumulative meta-analysis", arguments: files)
  func cumulative(_ name: String) throws {
    let file = try JSONObject.load(name)
    let cmp = Comparison()
    for c in file.objects("cases") {
      let tag = "\(name) \(c.string("method"))/\(c.string("test"))"
      let a = try Self.analysis(file, c)
      let cu = c["cumul"]!
      let rows = try a.cumulative(order: cu.doubles("order").map { Int($0) })
      cmp.check("\(tag) cumul estimate", rows.map(\.estimate), cu.doubles("estimate"))
      cmp.check("\(tag) cumul se", rows.map(\.standardError), cu.doubles("se"))
      cmp.check("\(tag) cumul ci.lb", rows.map(\.ciLower), cu.doubles("ci_lower"))
      cmp.check("\(tag) cumul ci.ub", rows.map(\.ciUpper), cu.doubles("ci_upper"))
      cmp.check("\(tag) cumul tau2", rows.map(\.tau2), cu.doubles("tau2"))
      cmp.check("\(tag) cumul I2", rows.map(\.i2), cu.doubles("i2"))
      cmp.check("\(tag) cumul Q", rows.map(\.q), cu.doubles("q"))
    }
    print("[sensitivity] \(name) cumulative: max rel deviation \(cmp.maxRelative) at \(cmp.maxWhere)")
    #expect(cmp.failures.isEmpty, "\(cmp.failures.count) failures: \(cmp.failures.prefix(8))")
  }

  @Test("Egger, Peters and Begg tests", arguments: files)
  func smallStudyTests(_ name: String) throws {
    let file = try JSONObject.load(name)
    let cmp = Comparison()
    var exactBegg = 0
    for c in file.objects("cases") {
      let tag = "\(name) \(c.string("method"))/\(c.string("test"))"
      let a = try Self.analysis(file, c)
      for (key, run) in [("egger", { try a.eggerTest() }), ("peters", { try a.petersTest() })] as [(String, () throws -> RegressionTestResult)] {
        guard let ref = c[key] else { continue }
        let r = try run()
        cmp.check("\(tag) \(key) z", r.statistic, ref.double("zval"))
        cmp.check("\(tag) \(key) p", r.pValue, ref.double("pval"))
        cmp.check("\(tag) \(key) b", r.limitEstimate, ref.double("est"))
        cmp.check("\(tag) \(key) ci.lb", r.limitCILower, ref.double("ci_lower"))
        cmp.check("\(tag) \(key) ci.ub", r.limitCIUpper, ref.double("ci_upper"))
        cmp.check("\(tag) \(key) slope", r.slope, ref.double("slope"))
        cmp.check("\(tag) \(key) slope se", r.slopeStandardError, ref.double("slope_se"))
        cmp.check("\(tag) \(key) tau2", r.tau2, ref.double("tau2"))
        if ref.has("ddf") { cmp.check("\(tag) \(key) df", r.degreesOfFreedom ?? .nan, ref.double("ddf")) }
      }
      let begg = try a.beggTest()
      if begg.exact { exactBegg += 1 }
      cmp.check("\(tag) begg tau", begg.tau, c["begg"]!.double("tau"))
      cmp.check("\(tag) begg p", begg.pValue, c["begg"]!.double("pval"))
    }
    print("[sensitivity] \(name) bias tests: max rel deviation \(cmp.maxRelative) at \(cmp.maxWhere); Begg exact in \(exactBegg) cases")
    if name == "pritz1997_PLO.json" { #expect(exactBegg > 0, "the exact Kendall path is exercised") }
    #expect(cmp.failures.isEmpty, "\(cmp.failures.count) failures: \(cmp.failures.prefix(8))")
  }

  @Test("trim-and-fill L0 and R0", arguments: files)
  func trimAndFill(_ name: String) throws {
    let file = try JSONObject.load(name)
    let cmp = Comparison()
    for c in file.objects("cases") {
      let tag = "\(name) \(c.string("method"))/\(c.string("test"))"
      let a = try Self.analysis(file, c)
      for est in [TrimAndFillEstimator.L0, .R0] {
        guard let ref = c["trimfill_\(est.rawValue)"] else {
          // metafor failed; orrmeta should throw too (or at least not crash)
          _ = try? a.trimAndFill(estimator: est)
          continue
        }
        let r = try a.trimAndFill(estimator: est)
        cmp.require(r.k0 == Int(ref.double("k0")), "\(tag) \(est) k0 \(r.k0) vs \(ref.double("k0"))")
        cmp.require(r.side.rawValue == ref.string("side"), "\(tag) \(est) side \(r.side) vs \(ref.string("side"))")
        cmp.check("\(tag) \(est) se.k0", r.k0StandardError, ref.double("se_k0"))
        cmp.check("\(tag) \(est) estimate", r.estimate, ref.double("estimate"))
        cmp.check("\(tag) \(est) se", r.standardError, ref.double("se"))
        cmp.check("\(tag) \(est) ci.lb", r.ciLower, ref.double("ci_lower"))
        cmp.check("\(tag) \(est) ci.ub", r.ciUpper, ref.double("ci_upper"))
        cmp.check("\(tag) \(est) p", r.pValue, ref.double("pval"))
        cmp.check("\(tag) \(est) tau2", r.tau2, ref.double("tau2"))
        cmp.check("\(tag) \(est) filled", r.filledYi, ref.doubles("filled_yi"))
      }
    }
    print("[sensitivity] \(name) trim-and-fill: max rel deviation \(cmp.maxRelative) at \(cmp.maxWhere)")
    #expect(cmp.failures.isEmpty, "\(cmp.failures.count) failures: \(cmp.failures.prefix(8))")
  }
}
