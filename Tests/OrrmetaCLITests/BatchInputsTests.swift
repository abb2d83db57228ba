// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing

/// Files, directories and glob patterns become one sorted list of paths.
@Suite struct BatchInputsTests {
  @Test("utf8Less is the UTF-8 byte order of lexicographicallyPrecedes: empty, prefixes, small and large, non-ASCII")
  func utf8Order() {
    let words = ["", "a", "ab", "abc", "b", "B", "é", "e\u{301}", "zz", "/data/in/f10.csv", "/data/in/f9.csv", "/data/in/f1.csv",
      String(repeating: "x", count: 40), String(repeating: "x", count: 40) + "a", "日本", "\u{FFFF}", "\u{10000}", "a\u{0}b"]
    for a in words {
      for b in words {
        #expect(utf8Less(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8), "\(a) < \(b)")
      }
    }
  }

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

  @Test("symbolic links: a .csv link to a file or to nothing is an input; links are not followed into directories")
  func symbolicLinks() throws {
    let dir = try TemporaryDirectory("inputs-links")
    defer { dir.remove() }
    let p = dir.path
    for f in ["data/a.csv", "data/sub/B.Csv", "data/sub/.hidden/c.csv", "elsewhere/b.csv", "elsewhere/deep/c.csv"] {
      try dir.write(f, "events,n\n1,2\n")
    }
    #expect(symlink(p + "/elsewhere/b.csv", p + "/data/link.csv") == 0)
    #expect(symlink(p + "/missing.csv", p + "/data/dangling.csv") == 0)
    #expect(symlink(p + "/elsewhere", p + "/data/dirlink") == 0)
    #expect(symlink(p + "/elsewhere", p + "/data/dir.csv") == 0)
    let found = try BatchInputs.expand([p + "/data"])
    #expect(found == ["data/a.csv", "data/dangling.csv", "data/link.csv", "data/sub/B.Csv"].map { p + "/" + $0 })
  }

  @Test("directories nested deeper than the bound stop the listing with the directory named")
  func depthBound() throws {
    let dir = try TemporaryDirectory("inputs-deep")
    defer { dir.remove() }
    let levels = BatchInputs.maximumDepth + 1
    let deep = (0..<levels).map { _ in "a" }.joined(separator: "/")
    try dir.write("d/x.csv", "events,n\n1,2\n")
    try dir.write("d/" + deep + "/y.csv", "events,n\n1,2\n")
    #expect(throws: InputError.unreadable(
      file: dir.path + "/d/" + deep, reason: "directories nested deeper than \(BatchInputs.maximumDepth) levels")) {
      try BatchInputs.expand([dir.path + "/d"])
    }
    // One level less is listed whole.
    let shallow = try TemporaryDirectory("inputs-deep-ok")
    defer { shallow.remove() }
    try shallow.write("d/" + (0..<(levels - 1)).map { _ in "a" }.joined(separator: "/") + "/y.csv", "events,n\n1,2\n")
    #expect(try BatchInputs.expand([shallow.path + "/d"]).count == 1)
  }

  @Test("the .csv extension in any case, and nothing else")
  func extensions() {
    for name in ["a.csv", "a.CSV", "a.cSv", ".csv", "x.y.csv"] { #expect(BatchInputs.hasCSVExtension(name), "\(name)") }
    for name in ["a.csv.txt", "csv", "a.cs", "a.tsv", "acsv", "a.csv ", "a.čsv"] { #expect(!BatchInputs.hasCSVExtension(name), "\(name)") }
  }

  @Test func pathsAreCleanedLexically() {
    #expect(BatchInputs.clean("a//./b/") == "a/b")
    #expect(BatchInputs.clean("./a.csv") == "a.csv")
    #expect(BatchInputs.clean("/x/../y.csv") == "/x/../y.csv")
    #expect(BatchInputs.clean(".") == ".")
  }

  @Test func resultPathsArePathsBelowTheInputsCommonRoot() {
    func path(_ file: String, among files: [String]) -> String {
      BatchLayout.resultPath(file: file, analysis: "reml", root: .init(files: files))
    }
    let files = ["data/sub/g01.csv", "data/g02.csv", "data/./sub//g03.csv"]
    #expect(path(files[0], among: files) == "results/sub/g01.csv/reml.json")
    #expect(path(files[1], among: files) == "results/g02.csv/reml.json")
    #expect(path(files[2], among: files) == "results/sub/g03.csv/reml.json")
    #expect(path("data/a.csv", among: ["data/a.csv"]) == "results/a.csv/reml.json")
    #expect(path("/abs/in/a.csv", among: ["/abs/in/a.csv", "/abs/b.csv"]) == "results/in/a.csv/reml.json")
    #expect(path("/a.csv", among: ["/a.csv"]) == "results/a.csv/reml.json")
    #expect(path("../up/a.csv", among: ["../up/a.csv", "../up/x/b.csv"]) == "results/a.csv/reml.json")
    #expect(path("%2F/a.csv", among: ["%2F/a.csv"]) == "results/a.csv/reml.json")
    #expect(path("a/../b.csv", among: ["a/../b.csv", "c/d.csv"]) == "results/b.csv/reml.json")
    // Paths that do not start alike are anchored at the working directory: nothing climbs out.
    let cwd = FileManager.default.currentDirectoryPath.split(separator: "/").last.map(String.init) ?? ""
    let mixed = path("../a.csv", among: ["../a.csv", "b.csv"])
    #expect(mixed == "results/a.csv/reml.json" || !mixed.contains(".."))
    #expect(path("b.csv", among: ["../a.csv", "b.csv"]) == "results/\(cwd)/b.csv/reml.json")
  }
}
