// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
@testable import OrrmetaCLI
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// The `profile` and `convergence` keys of a batch spec mean what `--profile` and
/// `--convergence` mean: defaults only, an explicit key wins, an invalid value names the key.
@Suite struct BatchProfileSpecTests {
  static let spec = """
    [defaults]
    events_column = "responders"
    n_column = "n"
    profile = "meta"

    [analyses.meta]
    type = "pool"

    [analyses.meta-dl]
    method = "DL"
    convergence = "exact"

    [analyses.stata]
    profile = "stata"

    [analyses.loo]
    type = "sensitivity"
    analyses = ["leave-one-out", "influence"]
    """

  @Test func profileKeysResolveLikeTheFlags() throws {
    let specs = try BatchSpecFile.parse(Self.spec, file: "profiles.toml")
    let byName = Dictionary(uniqueKeysWithValues: try specs.map { s throws(BatchSpecError) in (s.name, try s.resolve(specFile: "profiles.toml")) })
    let meta = try #require(byName["meta"]).settings
    #expect(meta.profile == .meta && meta.method == .GLMM && meta.convergence == .metafor)
    #expect(meta.profileChanges == ["method GLMM (orrmeta: REML)", "convergence metafor (orrmeta: exact)"])
    let dl = try #require(byName["meta-dl"]).settings
    #expect(dl.method == .DL && dl.convergence == .exact && dl.profileChanges.isEmpty)
    let stata = try #require(byName["stata"]).settings
    #expect(stata.profile == .stata && stata.measure == .PFT && stata.method == .DL && stata.studyInterval == .wilson)
  }

  @Test func anInvalidProfileNamesTheKey() throws {
    let specs = try BatchSpecFile.parse("[analyses.x]\nevents_column = \"responders\"\nn_column = \"n\"\nprofile = \"spss\"\n", file: "bad.toml")
    #expect {
      _ = try specs[0].resolve(specFile: "bad.toml")
    } throws: { error in
      "\(error)".contains("profile") && "\(error)".contains("orrmeta, metafor, meta, stata")
    }
  }

  @Test func sensitivityUnderTheMetaProfileRefitsWithREML() throws {
    let r = try runOrrmeta(["sensitivity", "Fixtures/alk-nsclc/cohorts.csv", "--influence", "--profile", "meta", "--format", "json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("\"profile\" : \"meta\"") || r.stdout.contains("\"profile\":\"meta\""))
    #expect(!r.stdout.contains("\"method\" : \"GLMM\"") && !r.stdout.contains("\"method\":\"GLMM\""))
  }
}
