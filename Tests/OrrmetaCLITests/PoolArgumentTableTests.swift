// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
@testable import OrrmetaCLI
import Testing

/// `pool`'s ``ArgumentTable`` (the start-up path without argument-parser's reflection) is the
/// same parser as argument-parser's for every command line it accepts — the same
/// ``PoolRequest`` — declines every other, and lists exactly the options argument-parser defines
/// for `pool`.
@Suite("PoolArgumentTable: pool's table-driven parser equals argument-parser")
struct PoolArgumentTableTests {
  typealias Pool = Orrmeta.Pool

  /// argument-parser's request for `arguments` (``Orrmeta/Pool/request``), and the table's.
  func bothParses(_ arguments: [String]) throws -> (parser: PoolRequest, table: PoolRequest?) {
    let parsed = try Orrmeta.parseAsRoot(arguments)
    let pool = try #require(parsed as? Pool, "\(arguments) is not a pool command line")
    return (pool.request, PoolRequest.parsedByTable(arguments))
  }

  /// `dump`'s text: every stored property, so that a difference names it.
  func dumped(_ request: PoolRequest) -> String {
    var text = ""
    dump(request, to: &text)
    return text
  }

  static let accepted: [[String]] = [
    ["pool", "f.csv"],
    ["pool", "f.csv", "--method", "DL", "--test", "knha", "--by", "line"],
    ["pool", "--method", "reml", "f.csv"],
    ["pool", "f.csv", "--method", "FE", "--test", "hksj"],
    ["pool", "f.csv", "--format", "json", "--output", "r.json"],
    ["pool", "f.csv", "-o", "r.json", "--format", "markdown"],
    ["pool", "f.csv", "--out", "r.csv", "--format", "csv"],
    ["pool", "f.csv", "--level", "90"],
    ["pool", "f.csv", "--level=0.9", "--method=PM"],
    ["pool", "f.csv", "--method", "pooled", "--ci-method", "wilson"],
    ["pool", "f.csv", "--ci-method", "cp"],
    ["pool", "f.csv", "--measure", "PFT", "--add", "0.25", "--to", "all"],
    ["pool", "f.csv", "--method", "GLMM", "--nagq", "1"],
    ["pool", "f.csv", "--by", "line", "--tau-common"],
    ["pool", "f.csv", "--profile", "metafor"],
    ["pool", "f.csv", "--profile=meta", "--convergence", "exact"],
    ["pool", "f.csv", "--profile", "stata", "--convergence", "METAFOR"],
    ["pool", "f.csv", "--cluster", "trial", "--method", "ML"],
    ["pool", "f.csv", "--events-column", "r", "--n-column", "N", "--label-column", "study", "--orr-column", "orr"],
    ["pool", "f.csv", "--events-column=x", "--n-column=total"],
    ["pool", "--exclude", "A", "B", "--method", "PM", "f.csv"],
    ["pool", "f.csv", "--exclude", "A", "B"],
    ["pool", "f.csv", "--exclude", "A", "--exclude", "B"],
    ["pool", "f.csv", "--where", "line=naive", "--where", "phase!=1"],
    ["pool", "f.csv", "--where=line=naive"],
    ["pool", "dir with spaces/f.csv", "--label-column", "naïve label"],
  ]

  @Test("the table's value equals argument-parser's for every accepted command line", arguments: accepted)
  func acceptedEqualsArgumentParser(_ arguments: [String]) throws {
    let (parser, table) = try bothParses(arguments)
    let t = try #require(table, "the table declined \(arguments)")
    #expect(dumped(t) == dumped(parser))
    #expect(t == parser)
  }

  @Test("the table's values are the command line's (not argument-parser's defaults by accident)")
  func valuesArrive() throws {
    let pool = try #require(PoolRequest.parsedByTable([
      "pool", "f.csv", "--method", "dl", "--level", "90", "--exclude", "A", "B", "--where", "line=naive",
      "-o", "r.json", "--format", "json", "--by", "line", "--tau-common", "--nagq", "3",
    ]))
    #expect(pool.file == "f.csv")
    #expect(pool.model.methodFlag == .DL)
    #expect(pool.model.level == 90)
    #expect(pool.model.nagq == 3)
    #expect(pool.model.tauCommon)
    #expect(pool.columns.exclude == ["A", "B"])
    #expect(pool.columns.conditions == ["line=naive"])
    #expect(pool.columns.by == "line")
    #expect(pool.output == "r.json")
    #expect(pool.format == .json)
    let plain = try #require(PoolRequest.parsedByTable(["pool", "f.csv"]))
    #expect(plain.model.level == 95)
    #expect(plain.model.profile == .orrmeta)
    #expect(plain.format == .text)
    #expect(plain.model.methodFlag == nil)
  }

  static let declined: [[String]] = [
    [],
    ["pool"],
    ["POOL", "f.csv"],
    ["sensitivity", "f.csv"],
    ["--version"],
    ["f.csv"],
    ["pool", "--help"],
    ["pool", "-h"],
    ["pool", "f.csv", "--help"],
    ["pool", "--version"],
    ["pool", "f.csv", "--experimental-dump-help"],
    ["pool", "--generate-completion-script", "bash"],
    ["pool", "help"],
    ["pool", "f.csv", "g.csv"],
    ["pool", "f.csv", "--unknown", "x"],
    ["pool", "f.csv", "--meth", "DL"],
    ["pool", "f.csv", "--method"],
    ["pool", "f.csv", "--method", "--test", "z"],
    ["pool", "f.csv", "--level", "-5"],
    ["pool", "f.csv", "--level", "abc"],
    ["pool", "f.csv", "--method", "XYZ"],
    ["pool", "f.csv", "--level", "200"],
    ["pool", "f.csv", "--tau-common"],
    ["pool", "f.csv", "--method", "GLMM", "--measure", "PFT"],
    ["pool", "f.csv", "--where", "novalue"],
    ["pool", "f.csv", "--method", "DL", "--method", "REML"],
    ["pool", "f.csv", "--by", "x", "--tau-common", "--tau-common"],
    ["pool", "f.csv", "--by", "x", "--tau-common=true"],
    ["pool", "f.csv", "--method="],
    ["pool", "f.csv", "--exclude=A"],
    ["pool", "f.csv", "--exclude"],
    ["pool", "f.csv", "--exclude", "A", "", "B"],
    ["pool", "--", "f.csv"],
    ["pool", "-"],
    ["pool", ""],
    ["pool", "f.csv", "-oout.json"],
    ["pool", "f.csv", "-o=out.json"],
    ["pool", "f.csv", "-ho"],
    ["pool", "--exclude", "A", "f.csv"],
    ["pool", "f.csv", "--nagq", "1.5"],
  ]

  @Test("the table declines every unusual command line (argument-parser parses it)", arguments: declined)
  func declines(_ arguments: [String]) {
    #expect(PoolRequest.parsedByTable(arguments) == nil)
  }

  /// One argument of argument-parser's `_dumpHelp()` JSON (ArgumentInfoV0), as the table sees it.
  struct Defined: Hashable, CustomStringConvertible {
    var names: Set<String>
    var arity: String
    var defaultValue: String?
    var description: String { "\(names.sorted()) \(arity) default \(defaultValue ?? "none")" }
  }

  /// `pool`'s options and flags as argument-parser defines them (without its `--help`), and
  /// the number of positional arguments.
  func definedByArgumentParser() throws -> (options: Set<Defined>, positionals: [[String: Any]]) {
    let json = try JSONSerialization.jsonObject(with: Data(Pool._dumpHelp().utf8))
    let root = try #require(json as? [String: Any])
    let command = try #require(root["command"] as? [String: Any])
    let arguments = try #require(command["arguments"] as? [[String: Any]])
    var options = Set<Defined>()
    var positionals: [[String: Any]] = []
    for argument in arguments {
      let kind = try #require(argument["kind"] as? String)
      if kind == "positional" {
        positionals.append(argument)
        continue
      }
      let nameInfos = try #require(argument["names"] as? [[String: Any]])
      let names = Set(try nameInfos.map { info in
        let name = try #require(info["name"] as? String)
        return (info["kind"] as? String) == "long" ? "--" + name : "-" + name
      })
      if names.contains("--help") { continue }
      let repeating = argument["isRepeating"] as? Bool ?? false
      let strategy = argument["parsingStrategy"] as? String ?? "default"
      let arity: String
      switch (kind, repeating, strategy) {
      case ("flag", false, _): arity = "flag"
      case ("option", false, "default"): arity = "single"
      case ("option", true, "default"): arity = "repeated"
      case ("option", true, "upToNextOption"): arity = "upToNextOption"
      default: arity = "unsupported: \(kind) \(repeating) \(strategy)"
      }
      let defaultValue = kind == "flag" ? nil : argument["defaultValue"] as? String
      options.insert(Defined(names: names, arity: arity, defaultValue: defaultValue))
    }
    return (options, positionals)
  }

  @Test("the table lists exactly argument-parser's options of pool: names, kind, arity, default")
  func tableMatchesDefinition() throws {
    let (defined, positionals) = try definedByArgumentParser()
    let table = Set(PoolRequest.argumentTable.entries.map { entry in
      Defined(
        names: Set(entry.names), arity: entry.arity.rawValue,
        defaultValue: entry.arity == .flag ? nil : entry.defaultDescription())
    })
    #expect(defined.count > 20)
    #expect(PoolRequest.argumentTable.entries.count == defined.count)
    for missing in defined.subtracting(table) { Issue.record("not in the table (or differs): \(missing)") }
    for extra in table.subtracting(defined) { Issue.record("in the table but not argument-parser's: \(extra)") }
    #expect(positionals.count == 1)
    #expect(positionals.first?["isOptional"] as? Bool == false)
    #expect(positionals.first?["isRepeating"] as? Bool == false)
  }

  @Test("the table's default request is argument-parser's for `pool FILE`, and every option changes it")
  func defaultsAndEveryOptionArrive() throws {
    let (parser, table) = try bothParses(["pool", "f.csv"])
    #expect(table == parser)
    // One non-default value per entry: each must reach the request (a setter that wrote the
    // wrong field, or none, would leave it equal to the default or differ from argument-parser's).
    let values = [
      "--events-column": "e", "--n-column": "n", "--label-column": "l", "--orr-column": "o", "--by": "b",
      "--exclude": "x", "--where": "c=1", "--profile": "metafor", "--measure": "PFT", "--method": "DL",
      "--test": "t", "--level": "90", "--ci-method": "wilson", "--add": "0.25", "--to": "all", "--nagq": "3",
      "--convergence": "metafor", "--cluster": "trial", "--format": "json", "--output": "r.json",
    ]
    let base = try #require(PoolRequest.parsedByTable(["pool", "f.csv"]))
    for entry in PoolRequest.argumentTable.entries where entry.arity != .flag {
      let name = try #require(entry.names.first)
      let value = try #require(values[name], "no test value for \(name)")
      let arguments = ["pool", "f.csv", name, value]
      let (parser, table) = try bothParses(arguments)
      #expect(table == parser, "\(arguments)")
      #expect(table != base, "\(arguments) left the request unchanged")
    }
  }

  @Test("orrmeta pool runs the same through the table and through argument-parser (bytes)")
  func sameOutput() throws {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Fixtures/alk-nsclc/cohorts.csv").standardizedFileURL.path
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pool-table-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for format in ["text", "json", "csv"] {
      let byTable = dir.appendingPathComponent("table.\(format)").path
      let byParser = dir.appendingPathComponent("parser.\(format)").path
      let tableArguments = ["pool", fixture, "--method", "DL", "--format", format, "--output", byTable]
      #expect(PoolRequest.parsedByTable(tableArguments) != nil)
      #expect(Orrmeta.run(tableArguments) == 0)
      var command = try Orrmeta.parseAsRoot(["pool", fixture, "--method", "DL", "--format", format, "--output", byParser])
      try command.run()
      let a = try Data(contentsOf: URL(fileURLWithPath: byTable))
      let b = try Data(contentsOf: URL(fileURLWithPath: byParser))
      #expect(!a.isEmpty)
      #expect(a == b, "\(format) differs")
    }
  }
}
