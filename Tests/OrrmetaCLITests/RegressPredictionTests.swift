// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `regress` predictions, `--reference` and `--interaction` against metafor 3.8-1
/// (Fixtures/regression/predictions.json from generate_predictions.R, tight control):
/// coefficients, τ², and `predict(res, newmods = unique(model.matrix(res)[, -1]), transf =)` at
/// every distinct moderator pattern, on the model scale and back-transformed.
@Suite("regress: predictions, --reference, --interaction (metafor predict)")
struct RegressPredictionTests {
  static let tolerance = 1e-6

  func close(_ a: Double, _ b: Double) -> Bool { isClose(a, b, rtol: Self.tolerance, atol: 1e-14) }

  @Test("every case matches metafor to 1e-6 relative")
  func reference() throws {
    let root = try loadFixtureJSON("regression/predictions.json") as? [String: Any] ?? [:]
    let cases = root["cases"] as? [[String: Any]] ?? []
    #expect(cases.count == 9)
    for c in cases {
      let args = c["args"] as? [String] ?? []
      let name = "\(c["name"] ?? "") \(c["measure"] ?? "") \(c["method"] ?? "") \(c["test"] ?? "")"
      let r = try runOrrmeta(
        ["regress", "Fixtures/alk-nsclc/cohorts.csv"] + args
          + ["--measure", c["measure"] as? String ?? "", "--method", c["method"] as? String ?? "", "--test", c["test"] as? String ?? "", "--format", "json"])
      #expect(r.status == 0, "\(name): \(r.stderr)")
      guard let out = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else { continue }
      let fit = out["meta_regression"] as? [String: Any] ?? [:]
      let coefficients = fit["coefficients"] as? [[String: Any]] ?? []
      let beta = numbers(c["coefficients"]), se = numbers(c["se"])
      #expect(coefficients.count == beta.count, "\(name)")
      for (j, coef) in coefficients.enumerated() where j < beta.count {
        #expect(close(number(coef["estimate"]), beta[j]), "\(name) \(coef["name"] ?? ""): \(number(coef["estimate"])) vs \(beta[j])")
        #expect(close(number(coef["se"]), se[j]), "\(name) \(coef["name"] ?? ""): se")
      }
      #expect(close(number((fit["tau2"] as? [String: Any])?["tau2"] ?? fit["tau2"]), number(c["tau2"])), "\(name): tau2")
      let predictions = out["predictions"] as? [[String: Any]] ?? []
      let keys: [(String, String)] = [
        ("estimate", "pred"), ("se", "pred_se"), ("ci_lower", "ci_lower"), ("ci_upper", "ci_upper"),
        ("pi_lower", "pi_lower"), ("pi_upper", "pi_upper"), ("proportion", "proportion"),
        ("proportion_ci_lower", "proportion_ci_lower"), ("proportion_ci_upper", "proportion_ci_upper"),
        ("proportion_pi_lower", "proportion_pi_lower"), ("proportion_pi_upper", "proportion_pi_upper"),
      ]
      let expectedCount = numbers(c["pred"]).count
      #expect(predictions.count == expectedCount, "\(name): \(predictions.count) predictions vs \(expectedCount)")
      for (ours, theirs) in keys {
        let expected = numbers(c[theirs])
        for (i, p) in predictions.enumerated() where i < expected.count {
          #expect(close(number(p[ours]), expected[i]), "\(name) row \(i + 1) \(ours): \(number(p[ours])) vs \(expected[i])")
        }
      }
    }
  }

  @Test("--reference and --interaction: names, text table and errors")
  func interface() throws {
    let alk = "Fixtures/alk-nsclc/cohorts.csv"
    let text = try runOrrmeta(["regress", alk, "--mods", "line", "--reference", "pretreated"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("line: categorical, levels pretreated, naive (reference pretreated)"))
    #expect(text.stdout.contains("linenaive"))
    #expect(text.stdout.contains("pretreated       47.1%    [39.9%, 54.4%]    [15.6%, 81.1%]\n"), "\(text.stdout)")
    #expect(text.stdout.contains("naive            73.5%    [66.9%, 79.2%]    [36.5%, 93.1%]\n"))
    let json = try runOrrmeta(["regress", alk, "--mods", "line", "n", "--interaction", "line:n", "--format", "json"])
    let out = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any] ?? [:]
    let names = ((out["meta_regression"] as? [String: Any])?["coefficients"] as? [[String: Any]] ?? []).map { $0["name"] as? String ?? "" }
    #expect(names == ["intrcpt", "linepretreated", "n", "linepretreated:n"])
    #expect(out["interactions"] as? [String] == ["line:n"])
    for (args, status, message) in [
      (["--mods", "line", "--reference", "second"], Int32(65), "--reference second: no categorical moderator has the level 'second'; the categorical moderators and their levels are: line (naive, pretreated)"),
      (["--mods", "line", "--interaction", "line:n"], 64, "--interaction line:n: 'n' is not one of the --mods columns"),
      (["--mods", "line", "n", "--interaction", "line"], 64, "--interaction line is invalid; expected A:B"),
    ] {
      let r = try runOrrmeta(["regress", alk] + args)
      #expect(r.status == status && r.stderr.contains(message), "\(args): \(r.stderr)")
    }
  }

  @Test("batch type = \"regress\": the result file is regress --format json; the summary row has k, totals, residual tau2, I2, QE p")
  func batchRegress() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let alk = fixturePath("alk-nsclc/cohorts.csv")
    try FileManager.default.copyItem(atPath: alk, toPath: "\(dir)/alk.csv")
    try """
      [analyses.byline]
      type = "regress"
      mods = ["line"]
      reference = ["line=pretreated"]

      [analyses.inter]
      type = "regress"
      mods = ["line", "n"]
      interaction = ["line:n"]
      method = "DL"
      test = "knha"

      """.write(toFile: "\(dir)/spec.toml", atomically: true, encoding: .utf8)
    let batch = try runOrrmeta(["batch", "alk.csv", "--output", "out", "--spec", "spec.toml", "--quiet"], directory: dir)
    #expect(batch.status == 0, "\(batch.stderr)")
    let standalone = try runOrrmeta(["regress", "alk.csv", "--mods", "line", "--reference", "line=pretreated", "--format", "json"], directory: dir)
    let result = try String(contentsOfFile: "\(dir)/out/results/alk.csv/byline.json", encoding: .utf8)
    #expect(result == standalone.stdout)
    let summary = try String(contentsOfFile: "\(dir)/out/summary.csv", encoding: .utf8)
    #expect(summary.contains("alk.csv,byline,ok,PLO,REML,z,61,5709,3330,NA,NA,NA,NA,NA,,,,,,,0.6195859281730396,"), "\(summary)")
    #expect(summary.contains("alk.csv,inter,ok,PLO,DL,knha,61,5709,3330,NA,NA,NA,NA,NA,,,,,,,0.5239854954522724,"))
    try "[analyses.x]\ntype = \"regress\"\nmods = [\"line\"]\ninteraction = [\"line:zz\"]\n".write(toFile: "\(dir)/bad.toml", atomically: true, encoding: .utf8)
    let bad = try runOrrmeta(["batch", "alk.csv", "--output", "out2", "--spec", "bad.toml"], directory: dir)
    #expect(bad.status == 64 && bad.stderr.contains("[analyses.x] --interaction line:zz: 'zz' is not one of the --mods columns"), "\(bad.stderr)")
  }
}
