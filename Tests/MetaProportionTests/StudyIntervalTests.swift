// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// Per-cohort confidence intervals of every dataset in Fixtures/metafor/expected against R:
/// Clopper–Pearson (binom.test), Wilson (prop.test without correction), Wilson with continuity
/// correction (Newcombe 1998), Agresti–Coull, Jeffreys and Wald — 1e-9 relative.
struct StudyIntervalTests {
  static let keys: [(BinomialIntervalMethod, String)] = [
    (.clopperPearson, "clopper_pearson"), (.wilson, "wilson"), (.wilsonCC, "wilson_cc"),
    (.agrestiCoull, "agresti_coull"), (.jeffreys, "jeffreys"), (.wald, "wald"),
  ]

  @Test(arguments: MetaforReferenceTests.datasets)
  func intervalsMatchR(_ name: String) throws {
    let d = try #require(try loadFixtureJSON("metafor/expected/\(name).json") as? [String: Any])
    let events = (try #require(d["events"] as? [NSNumber])).map(\.intValue)
    let n = (try #require(d["n"] as? [NSNumber])).map(\.intValue)
    let iv = try #require(d["study_intervals"] as? [String: Any])
    for (method, key) in Self.keys {
      let r = try #require(iv[key] as? [String: Any])
      let lo = numbers(r["lower"]), hi = numbers(r["upper"])
      for i in events.indices {
        let ci = try method.interval(events: events[i], total: n[i], level: .ninetyFive)
        if let f = closenessFailure("\(name) \(key)[\(i)] \(events[i])/\(n[i]) lower", ci.lower, lo[i], rtol: 1e-9, atol: 1e-15) { Issue.record(Comment(rawValue: f)) }
        if let f = closenessFailure("\(name) \(key)[\(i)] \(events[i])/\(n[i]) upper", ci.upper, hi[i], rtol: 1e-9, atol: 1e-15) { Issue.record(Comment(rawValue: f)) }
      }
    }
  }
}
