// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// `orrmeta sensitivity --cluster trial --bootstrap B --gosh`: the JSON blocks, the text, the
/// errors, and byte-identical output for any --jobs.
@Suite("orrmeta sensitivity --cluster: bootstrap and GOSH over clusters")
struct SensitivityClusterResamplingTests {
  static let alk = "Fixtures/alk-nsclc/cohorts.csv"
  static let base = ["sensitivity", alk, "--cluster", "trial", "--bootstrap", "120", "--gosh", "--subsets", "150", "--seed", "4"]

  func run(_ args: [String]) throws -> CLIResult {
    let r = try runOrrmeta(args)
    #expect(r.status == 0, "\(args): \(r.stderr)")
    return r
  }

  @Test("JSON: bootstrap and gosh blocks with their keys; --jobs 1, 2 and 4 give identical bytes")
  func jsonAndDeterminism() throws {
    let one = try run(Self.base + ["--jobs", "1", "--format", "json"]).stdout
    for j in ["2", "4"] {
      #expect(try run(Self.base + ["--jobs", j, "--format", "json"]).stdout == one)
    }
    #expect(try run(Self.base.dropLast() + ["5", "--jobs", "2", "--format", "json"]).stdout != one)
    let d = try #require(try JSONSerialization.jsonObject(with: Data(one.utf8)) as? [String: Any])
    let b = try #require(d["bootstrap"] as? [String: Any])
    for key in ["resamples", "seed", "unfittable", "failed", "ci_lower", "ci_upper", "proportion_ci_lower", "proportion_ci_upper",
                "sigma2_ci_lower", "sigma2_ci_upper", "bias", "se", "estimate_summary", "sigma2_summary", "method"] {
      #expect(b[key] != nil, "bootstrap.\(key)")
    }
    #expect(b["resamples"] as? Int == 120 && b["seed"] as? Int == 4)
    let est = try #require(d["estimate"] as? Double)
    let lo = try #require(b["ci_lower"] as? Double), hi = try #require(b["ci_upper"] as? Double)
    #expect(lo < est && est < hi)
    let plo = try #require(b["proportion_ci_lower"] as? Double), phi = try #require(b["proportion_ci_upper"] as? Double)
    #expect(0 < plo && plo < phi && phi < 1)
    let summary = try #require(b["estimate_summary"] as? [String: Any])
    #expect((try #require(summary["count"] as? Int)) + (try #require(b["unfittable"] as? Int)) + (try #require(b["failed"] as? Int)) == 120)
    #expect((b["sigma2_summary"] as? [Any])?.count == 2)

    let g = try #require(d["gosh"] as? [String: Any])
    for key in ["clusters", "exhaustive", "subsets", "rejected", "seed", "failed", "estimate_summary", "sigma2_summary",
                "i2_total_summary", "fits", "method"] {
      #expect(g[key] != nil, "gosh.\(key)")
    }
    #expect(g["exhaustive"] as? Bool == false && g["subsets"] as? Int == 150)
    let fits = try #require(g["fits"] as? [[String: Any]])
    #expect(fits.count == 150)
    for f in fits {
      #expect(Set(f.keys) == ["clusters", "k", "estimate", "sigma2", "i2_total"])
      #expect(try (try #require(f["clusters"] as? [String])).count >= 2 && (try #require(f["k"] as? Int)) >= 3)
      #expect((try #require(f["sigma2"] as? [Any])).count == 2)
    }
  }

  @Test("text: the bootstrap and GOSH sections")
  func text() throws {
    let out = try run(Self.base + ["--jobs", "2"]).stdout
    #expect(out.contains("Cluster bootstrap (120 resamples of the clusters, seed 4)"))
    #expect(out.contains("percentile 95% CI of the estimate: ["))
    #expect(out.contains("GOSH over clusters: 150 random subsets (seed 4)"))
    #expect(out.contains("sigma^2 trial"))
    #expect(out.contains("I^2 total"))
  }

  @Test("small cluster counts: every admissible subset (exhaustive) in the JSON")
  func exhaustive() throws {
    let dir = try temporaryDirectory("orrmeta-cluster-gosh")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = dir + "/four.csv"
    // Clusters of sizes 2, 1, 1, 2: of the 15 subsets, 4 singletons and {T2, T3} (2 cohorts) are not admissible.
    try "label,trial,events,n\na,T1,3,10\nb,T1,5,12\nc,T2,4,9\nd,T3,8,20\ne,T4,2,15\nf,T4,9,14\n"
      .write(toFile: file, atomically: true, encoding: .utf8)
    let r = try run(["sensitivity", file, "--cluster", "trial", "--gosh", "--subsets", "100", "--format", "json"])
    let d = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let g = try #require(d["gosh"] as? [String: Any])
    #expect(g["exhaustive"] as? Bool == true && g["subsets"] as? Int == 10 && g["rejected"] as? Int == 5)
    #expect(g["seed"] is NSNull || g["seed"] == nil)
    let fits = try #require(g["fits"] as? [[String: Any]])
    let last = try #require(fits.last)
    #expect(last["clusters"] as? [String] == ["T1", "T2", "T3", "T4"] && last["k"] as? Int == 6)
    #expect(last["estimate"] as? Double == d["estimate"] as? Double)
  }

  @Test("errors: trim-and-fill, --gosh-out and --shard with --cluster; B < 2")
  func errors() throws {
    let cases: [([String], String)] = [
      (["--trimfill"], "trim-and-fill is not available for the three-level model"),
      (["--gosh", "--subsets", "10", "--gosh-out", "/tmp/never-written.csv"], "--gosh-out writes the two-level GOSH subsets"),
      (["--bootstrap", "10", "--shard", "1/2"], "--shard does not apply with --cluster"),
      (["--bootstrap", "1"], "--bootstrap 1 is invalid"),
      (["--gosh"], "--gosh with --cluster needs --subsets N"),
    ]
    for (extra, message) in cases {
      let r = try runOrrmeta(["sensitivity", Self.alk, "--cluster", "trial"] + extra)
      #expect(r.status != 0 && r.stderr.contains(message), "\(extra): \(r.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.csv"))
  }
}
