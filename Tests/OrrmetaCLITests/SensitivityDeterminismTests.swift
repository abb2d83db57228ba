// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// GOSH and the bootstrap through `orrmeta sensitivity`: the same seed gives byte-identical
/// output (JSON, text and the `--gosh-out` CSV) whatever `--jobs` is, and the CSV holds every
/// subset as the statistics module computed it.
@Suite("orrmeta sensitivity: GOSH and bootstrap determinism")
struct SensitivityDeterminismTests {
  typealias S = SensitivityCLI

  func run(_ args: [String]) throws -> CLIResult {
    let r = try runOrrmeta(args)
    #expect(r.status == 0, "\(args): \(r.stderr)")
    return r
  }

  @Test("random GOSH subsets: --jobs 1 and --jobs 4 give identical JSON and CSV; another seed differs")
  func goshRandom() throws {
    let dir = try temporaryDirectory("orrmeta-gosh")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    func gosh(_ jobs: Int, _ seed: Int, _ csv: String) throws -> (String, Data) {
      let r = try run(["sensitivity", S.alk, "--gosh", "--subsets", "3000", "--seed", "\(seed)", "--jobs", "\(jobs)",
                       "--gosh-out", dir + "/" + csv, "--format", "json"])
      return (r.stdout, try Data(contentsOf: URL(fileURLWithPath: dir + "/" + csv)))
    }
    let one = try gosh(1, 11, "a.csv"), four = try gosh(4, 11, "b.csv"), other = try gosh(4, 12, "c.csv")
    #expect(one.0 == four.0)
    #expect(one.1 == four.1)
    #expect(one.0 != other.0)
    #expect(one.1 != other.1)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
    #expect(leftovers.isEmpty)

    // The summary and every CSV row are the statistics module's.
    let a = try SensitivityCommandTests.alkAnalysis()
    let g = try a.gosh(GoshOptions(maxSubsets: 3000, seed: 11, threads: 2))
    let d = try #require(try JSONSerialization.jsonObject(with: Data(one.0.utf8)) as? [String: Any])
    let block = try #require(d["gosh"] as? [String: Any])
    #expect(block["subsets"] as? Int == 3000)
    #expect(block["exhaustive"] as? Bool == false)
    #expect(block["seed"] as? Int == 11)
    let summary = try #require(block["summary"] as? [String: Any])
    let expected = g.summary()
    var bad = S.mismatches(try #require(summary["estimate"] as? [String: Any]), [
      ("mean", expected.estimate.mean), ("sd", expected.estimate.standardDeviation), ("median", expected.estimate.median),
      ("q025", expected.estimate.q025), ("q975", expected.estimate.q975),
    ], "gosh.summary.estimate")
    bad += S.mismatches(try #require(summary["i2"] as? [String: Any]), [("median", expected.i2.median), ("max", expected.i2.max)], "gosh.summary.i2")
    let csv = String(decoding: one.1, as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    #expect(csv[0] == GoshCSV.header)
    #expect(csv.count == 3001)
    for s in [0, 1, 1500, 2999] {
      let row = csv[s + 1]
      #expect(Int(row[1]) == g.size[s])
      #expect(Double(row[2]) == g.estimate[s])
      #expect(Double(row[3]) == a.proportion(g.estimate[s]))
      #expect(Double(row[5]) == g.i2[s])
      #expect(Double(row[7]) == g.tau2[s])
      // The hexadecimal mask: cohort j is bit j.
      var digits = Array(row[8].reversed())
      var members = 0
      for j in 0..<61 {
        let nibble = j / 4 < digits.count ? Int(String(digits[j / 4]), radix: 16)! : 0
        let bit = nibble >> (j % 4) & 1 == 1
        #expect(bit == g.includes(subset: s, cohort: j))
        if bit { members += 1 }
      }
      digits.removeAll()
      #expect(members == g.size[s])
    }
    #expect(bad.isEmpty, "\(bad)")
  }

  @Test("all subsets of 12 cohorts: exhaustive, identical for any --jobs, in metafor's order")
  func goshExhaustive() throws {
    let text = try String(contentsOfFile: fixturePath("alk-nsclc/cohorts.csv"), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let (dir, path) = try S.writeCSV(lines.prefix(13).joined(separator: "\n") + "\n")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let a = try run(["sensitivity", path, "--gosh", "--method", "DL", "--jobs", "1", "--gosh-out", dir + "/one.csv", "--format", "json"])
    let b = try run(["sensitivity", path, "--gosh", "--method", "DL", "--jobs", "3", "--gosh-out", dir + "/three.csv", "--format", "json"])
    #expect(a.stdout == b.stdout)
    let one = try Data(contentsOf: URL(fileURLWithPath: dir + "/one.csv"))
    #expect(one == (try Data(contentsOf: URL(fileURLWithPath: dir + "/three.csv"))))
    let d = try #require(try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any])
    let g = try #require(d["gosh"] as? [String: Any])
    #expect(g["exhaustive"] as? Bool == true)
    #expect(g["subsets"] as? Int == 4095)
    #expect(g["seed"] is NSNull)
    let rows = String(decoding: one, as: UTF8.self).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
    #expect(rows.count == 4095)
    #expect(rows.prefix(12).map { String($0[8]) } == (0..<12).map { String(1 << $0, radix: 16) })
    #expect(rows.map { Int($0[1])! } == rows.map { Int($0[1])! }.sorted())
  }

  @Test("bootstrap: --jobs 1 and --jobs 4 identical (JSON and text); percentile CI from the statistics module")
  func bootstrap() throws {
    let j1 = try run(["sensitivity", S.alk, "--bootstrap", "300", "--seed", "5", "--jobs", "1", "--format", "json"])
    let j4 = try run(["sensitivity", S.alk, "--bootstrap", "300", "--seed", "5", "--jobs", "4", "--format", "json"])
    #expect(j1.stdout == j4.stdout)
    let t1 = try run(["sensitivity", S.alk, "--bootstrap", "300", "--seed", "5", "--jobs", "1"])
    let t4 = try run(["sensitivity", S.alk, "--bootstrap", "300", "--seed", "5", "--jobs", "4"])
    #expect(t1.stdout == t4.stdout)
    let d = try #require(try JSONSerialization.jsonObject(with: Data(j1.stdout.utf8)) as? [String: Any])
    let b = try #require(d["bootstrap"] as? [String: Any])
    let expected = try SensitivityCommandTests.alkAnalysis().bootstrap(BootstrapOptions(resamples: 300, seed: 5, threads: 2))
    let bad = S.mismatches(b, [
      ("ci_lower", expected.ciLower), ("ci_upper", expected.ciUpper), ("tau2_ci_lower", expected.tau2CILower),
      ("tau2_ci_upper", expected.tau2CIUpper), ("proportion_ci_lower", expected.proportionCILower),
      ("proportion_ci_upper", expected.proportionCIUpper), ("bias", expected.bias), ("se", expected.standardError),
    ], "bootstrap")
    #expect(bad.isEmpty, "\(bad)")
    #expect(b["resamples"] as? Int == 300)
    #expect(b["seed"] as? Int == 5)
    let other = try run(["sensitivity", S.alk, "--bootstrap", "300", "--seed", "6", "--format", "json"])
    #expect(other.stdout != j1.stdout)
  }
}
