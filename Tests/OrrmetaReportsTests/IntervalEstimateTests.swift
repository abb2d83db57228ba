// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaReports
import Testing

/// ``IntervalEstimate`` and ``WithInterval``: the five keys land flat in their holder's object,
/// and an absent bound follows the holder's null rule.
@Suite("IntervalEstimate: one estimate/CI/PI group, encoded flat")
struct IntervalEstimateTests {
  private struct Fields: Encodable, Sendable {
    var k: Int
    var tau2: Double?
  }

  @Test("A block with its interval is one object with both sets of keys; nil bounds are left out")
  func flat() throws {
    var block = WithInterval(Fields(k: 3, tau2: nil), interval: IntervalEstimate(estimate: 60.5, ci_lower: 50.25, ci_upper: 70))
    block.tau2 = 0.125
    #expect(block.block.tau2 == 0.125)
    let json = try JSONOutput.encode(block, pretty: false)
    #expect(json == #"{"ci_lower":50.25,"ci_upper":70,"estimate":60.5,"k":3,"tau2":0.125}"# + "\n")
  }

  @Test("On its own (the PFS ratio) it is an object of the defined keys")
  func alone() throws {
    let ratio = PFSPooledReport.Ratio(estimate: 0.5, ci_lower: 0.25, ci_upper: 1, pi_lower: 0.125, pi_upper: 2)
    #expect(try JSONOutput.encode(ratio, pretty: false) == #"{"ci_lower":0.25,"ci_upper":1,"estimate":0.5,"pi_lower":0.125,"pi_upper":2}"# + "\n")
  }
}
