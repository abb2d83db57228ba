// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
@testable import OrrmetaCLI
import Testing
import _TestSupport

/// The full `--help` of every command, at 80 columns, against the snapshots in
/// `Tests/OrrmetaCLITests/Snapshots/help/` (one file per command: `orrmeta-plot-forest.txt`).
///
/// After changing a flag or a help text, regenerate every snapshot with
///
///     ORRMETA_UPDATE_SNAPSHOTS=1 swift test --filter HelpSnapshot
///
/// and review the diff (`git diff Tests/OrrmetaCLITests/Snapshots`): the snapshots are the help
/// as a user sees it, so the diff shows exactly what changed for them.
@Suite("HelpSnapshot: every command's --help")
struct HelpSnapshotTests {
  static let width = 80
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots/help")
  static var updating: Bool { ProcessInfo.processInfo.environment["ORRMETA_UPDATE_SNAPSHOTS"] == "1" }

  /// Every command of the tree, with its path of names (`["orrmeta", "plot", "forest"]`).
  static func commands() -> [(path: [String], type: any ParsableCommand.Type)] {
    var out: [(path: [String], type: any ParsableCommand.Type)] = []
    func visit(_ type: any ParsableCommand.Type, _ path: [String]) {
      out.append((path, type))
      for sub in type.configuration.subcommands {
        visit(sub, path + [sub._commandName])
      }
    }
    visit(Orrmeta.self, ["orrmeta"])
    return out
  }

  static func help(_ type: any ParsableCommand.Type) -> String {
    Orrmeta.helpMessage(for: type, columns: width) + "\n"
  }

  @Test("--help of every command matches its snapshot (ORRMETA_UPDATE_SNAPSHOTS=1 regenerates)")
  func snapshots() throws {
    let fm = FileManager.default
    try fm.createDirectory(at: Self.directory, withIntermediateDirectories: true)
    var expectedFiles = Set<String>()
    for (path, type) in Self.commands() {
      let name = path.joined(separator: "-") + ".txt"
      expectedFiles.insert(name)
      let file = Self.directory.appendingPathComponent(name)
      let actual = Self.help(type)
      if Self.updating {
        try actual.write(to: file, atomically: true, encoding: .utf8)
        continue
      }
      let stored = try? String(contentsOf: file, encoding: .utf8)
      #expect(stored == actual, "\(name) differs from the help; if the change is intended: ORRMETA_UPDATE_SNAPSHOTS=1 swift test --filter HelpSnapshot")
    }
    let present = Set(try fm.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".txt") })
    for stale in present.subtracting(expectedFiles) {
      if Self.updating { try fm.removeItem(at: Self.directory.appendingPathComponent(stale)) } else {
        Issue.record("snapshot \(stale) has no command; regenerate with ORRMETA_UPDATE_SNAPSHOTS=1")
      }
    }
    // Every command has a snapshot (new commands add theirs on regeneration).
    #expect(expectedFiles.isSuperset(of: [
      "orrmeta.txt", "orrmeta-pool.txt", "orrmeta-sensitivity.txt", "orrmeta-regress.txt", "orrmeta-plot.txt",
      "orrmeta-plot-forest.txt", "orrmeta-plot-bubble.txt", "orrmeta-report.txt", "orrmeta-reproduce.txt",
      "orrmeta-pfs.txt", "orrmeta-check.txt", "orrmeta-batch.txt", "orrmeta-merge.txt",
    ]))
  }

  /// The overview and discussion of a help text (what precedes USAGE:), split into paragraphs.
  static func paragraphs(_ help: String) -> [[String]] {
    let head = help.components(separatedBy: "\nUSAGE:").first ?? ""
    var out: [[String]] = [[]]
    for line in head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if line.isEmpty { out.append([]) } else { out[out.count - 1].append(line) }
    }
    return out.filter { !$0.isEmpty }
  }

  @Test("examples are whole commands: no example is split mid-line at 80 columns")
  func examplesNotSplit() {
    var checked = 0
    for (path, type) in Self.commands() {
      for p in Self.paragraphs(Self.help(type)) where p.first?.hasPrefix("Example") == true {
        for (i, line) in p.enumerated().dropFirst() {
          let continues = p[i - 1].hasSuffix(" \\")
          if continues {
            #expect(line.hasPrefix("    "), "\(path): \(line)")
          } else {
            #expect(line.hasPrefix("  orrmeta"), "\(path.joined(separator: " ")): example line split: '\(line)'")
          }
          #expect(line.count <= Self.width)
          checked += 1
        }
      }
    }
    #expect(checked >= 30)
  }

  @Test("prose is wrapped by argument-parser, not broken by hand and re-wrapped into ragged lines")
  func proseFilled() {
    for (path, type) in Self.commands() {
      for p in Self.paragraphs(Self.help(type)) where p.first?.hasPrefix("Example") != true && !p[0].hasPrefix(" ") {
        for i in p.indices.dropLast() where !p[i + 1].hasPrefix(" ") {
          let nextWord = p[i + 1].split(separator: " ").first.map(String.init) ?? ""
          #expect(
            p[i].count + 1 + nextWord.count >= Self.width,
            "\(path.joined(separator: " ")): line broken early: '\(p[i])' / '\(p[i + 1])'")
        }
      }
    }
  }

  @Test("sensitivity and regress offer only the formats, methods and flags they accept")
  func offersOnlyWhatWorks() {
    func options(_ type: any ParsableCommand.Type) -> String {
      Self.help(type).components(separatedBy: "OPTIONS:").last ?? ""
    }
    // Each flag or value as its help line shows it.
    let offers = [
      "--by": "  --by <by> ", "GLMM": ", GLMM", "pooled": "or pooled (sum of events", "--ci-method": "  --ci-method <ci-method>",
      "--nagq": "  --nagq <nagq>", "csv": "json, csv, markdown.",
    ]
    let pool = options(Orrmeta.Pool.self)
    for (flag, line) in offers { #expect(pool.contains(line), "pool offers \(flag)") }
    let regress = options(Orrmeta.Regress.self)
    for (flag, line) in offers { #expect(!regress.contains(line), "regress must not offer \(flag)") }
    let sensitivity = options(Orrmeta.Sensitivity.self)
    for (flag, line) in offers where flag != "GLMM" && flag != "--nagq" {
      #expect(!sensitivity.contains(line), "sensitivity must not offer \(flag)")
    }
    for text in [regress, sensitivity] {
      #expect(text.contains("--format <format>       Output format: text (default) or json. (values: text,\n"))
    }
    #expect(sensitivity.contains(", GLMM (only --leave-one-out and"))
    #expect(regress.contains("--method <method>       Method: EE (FE, CE), DL, HE, HS, SJ, ML, REML\n                          (default), EB, PM.\n"))
    for plot in [Orrmeta.Plot.Gosh.self, Orrmeta.Plot.Baujat.self, Orrmeta.Plot.Cumulative.self] as [any ParsableCommand.Type] {
      let text = options(plot)
      for (flag, line) in offers where flag != "csv" { #expect(!text.contains(line), "\(plot) must not offer \(flag)") }
    }
  }
}

@Suite("Usage errors and the output flag")
struct UsageErrorTests {
  @Test("argument-parser's usage errors print 'orrmeta: error:' and exit 64")
  func usageErrorPrefix() throws {
    let r = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--bogus"])
    #expect(r.status == 64)
    #expect(r.stderr.hasPrefix("orrmeta: error: Unknown option '--bogus'"), "\(r.stderr)")
    #expect(!r.stderr.contains("Error:"))
    let missing = try runOrrmeta(["regress"])
    #expect(missing.status == 64)
    #expect(missing.stderr.hasPrefix("orrmeta: error: Missing expected argument '<file>'"), "\(missing.stderr)")
    let help = try runOrrmeta(["pool", "--help"])
    #expect(help.status == 0 && help.stdout.hasPrefix("OVERVIEW: Pool the proportions") && help.stderr.isEmpty)
  }

  @Test("--output, -o and --out write the same file for pool, pfs, plots and report; batch takes --output too")
  func outputFlag() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let alk = "Fixtures/alk-nsclc/cohorts.csv"
    var outputs: [String] = []
    for (i, flag) in ["--output", "-o", "--out"].enumerated() {
      let path = "\(dir)/pool-\(i).json"
      let r = try runOrrmeta(["pool", alk, "--format", "json", flag, path])
      #expect(r.status == 0, "\(flag): \(r.stderr)")
      #expect(!r.stderr.contains("Did you mean '--by'"))
      outputs.append(try String(contentsOfFile: path, encoding: .utf8))
    }
    #expect(Set(outputs).count == 1 && outputs[0].contains("\"estimate\""))
    for (args, file) in [(["pfs", alk], "pfs.txt"), (["plot", "forest", alk], "forest.svg"), (["report", alk], "report.html")] {
      let path = "\(dir)/\(file)"
      let r = try runOrrmeta(args + ["-o", path])
      #expect(r.status == 0, "\(args): \(r.stderr)")
      #expect(FileManager.default.fileExists(atPath: path), "\(args)")
    }
    let batch = try runOrrmeta(["batch", alk, "--output", "\(dir)/batch", "--quiet"])
    #expect(batch.status == 0, "\(batch.stderr)")
    #expect(FileManager.default.fileExists(atPath: "\(dir)/batch/summary.csv"))
  }
}
