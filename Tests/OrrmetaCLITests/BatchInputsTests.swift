// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing

/// Files, directories and glob patterns become one sorted list of paths.
@Suite struct BatchInputsTests {
  @Test func directoriesGlobsAndFiles() throws {
    let dir = try TemporaryDirectory("inputs")
    defer { dir.remove() }
    let p = dir.path
    for f in ["d/a.csv", "d/sub/b.CSV", "d/sub/notes.txt", "d/.hidden.csv", "d/.git/c.csv", "d/out/summary.csv", "x/one.csv", "x/two.csv", "y.tsv"] {
      try dir.write(f, "events,n\n1,2\n")
    }
    let found = try BatchInputs.expand([p + "/d", p + "/x/*.csv", p + "/y.tsv", p + "//d/./a.csv"], excluding: [p + "/d/out"])
    #expect(found == ["d/a.csv", "d/sub/b.CSV", "x/one.csv", "x/two.csv", "y.tsv"].map { p + "/" + $0 })

    #expect(throws: InputError.unreadable(file: p + "/missing.csv", reason: "no such file or directory")) {
      try BatchInputs.expand([p + "/missing.csv"])
    }
    #expect(throws: InputError.unreadable(file: p + "/x/*.txt", reason: "the pattern matches no file")) {
      try BatchInputs.expand([p + "/x/*.txt"])
    }
  }

  @Test func pathsAreCleanedLexically() {
    #expect(BatchInputs.clean("a//./b/") == "a/b")
    #expect(BatchInputs.clean("./a.csv") == "a.csv")
    #expect(BatchInputs.clean("/x/../y.csv") == "/x/../y.csv")
    #expect(BatchInputs.clean(".") == ".")
  }

  @Test func resultPathsMirrorTheInputOneToOne() {
    #expect(BatchLayout.resultPath(file: "data/a.csv", analysis: "reml") == "results/data/a.csv/reml.json")
    #expect(BatchLayout.resultPath(file: "/abs/a.csv", analysis: "x") == "results/%2F/abs/a.csv/x.json")
    #expect(BatchLayout.resultPath(file: "../up/a.csv", analysis: "x") == "results/%2E%2E/up/a.csv/x.json")
    #expect(BatchLayout.resultPath(file: "%2F/a.csv", analysis: "x") == "results/%252F/a.csv/x.json")
  }
}
