// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// The control matching `control = list(threshold = 1e-12, tol = 1e-12, maxiter = 1000)` in
/// Fixtures/sensitivity/generate_sensitivity.R (metafor's `tol` is both the uniroot tolerance and
/// the ll(0) check tolerance).
let metaforTight = FitControl(
  threshold: 1e-12, maxIterations: 1000, rootTolerance: 1e-12, logLikelihoodTolerance: 1e-12)

/// A JSON object from Fixtures/sensitivity.
struct JSONObject {
  let raw: [String: Any]

  init(_ raw: [String: Any]) { self.raw = raw }

  static func load(_ name: String) throws -> JSONObject {
    let data = try fixtureData("sensitivity/" + name)
    return JSONObject(try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
  }

  subscript(_ key: String) -> JSONObject? {
    guard let v = raw[key] as? [String: Any] else { return nil }
    return JSONObject(v)
  }

  func has(_ key: String) -> Bool { raw[key] != nil && !(raw[key] is NSNull) }

  func double(_ key: String) -> Double { Self.toDouble(raw[key]) }

  func doubles(_ key: String) -> [Double] {
    if let a = raw[key] as? [Any] { return a.map(Self.toDouble) }
    if raw[key] is NSNumber { return [double(key)] }
    return []
  }

  func strings(_ key: String) -> [String] {
    if let a = raw[key] as? [Any] { return a.map { ($0 as? String) ?? "\($0)" } }
    if let s = raw[key] as? String { return [s] }
    return []
  }

  func bools(_ key: String) -> [Bool] { (raw[key] as? [Any])?.map { ($0 as? Bool) ?? false } ?? [] }

  func string(_ key: String) -> String { raw[key] as? String ?? "" }

  func objects(_ key: String) -> [JSONObject] {
    (raw[key] as? [Any])?.compactMap { ($0 as? [String: Any]).map(JSONObject.init) } ?? []
  }

  static func toDouble(_ v: Any?) -> Double {
    if let n = v as? NSNumber { return n.doubleValue }
    return .nan
  }
}

/// The `cases` of a JSON file under Fixtures/ (empty when the file cannot be read).
func fixtureCases(_ relative: String) -> [JSONObject] {
  guard let data = try? fixtureData(relative),
        let raw = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
  else { return [] }
  return JSONObject(raw).objects("cases")
}

/// Collects closeness failures and the largest relative deviation.
final class Comparison {
  var failures: [String] = []
  var maxRelative = 0.0
  var maxWhere = ""
  let rtol: Double
  let atol: Double

  init(rtol: Double = 1e-6, atol: Double = 1e-9) {
    self.rtol = rtol
    self.atol = atol
  }

  func check(_ what: @autoclosure () -> String, _ actual: Double, _ expected: Double, rtol: Double? = nil, atol: Double? = nil) {
    let r = rtol ?? self.rtol, a = atol ?? self.atol
    if !(actual.isNaN || expected.isNaN), expected != 0 || actual != 0 {
      let rel = abs(actual - expected) / max(abs(expected), a / r)
      if rel > maxRelative {
        maxRelative = rel
        maxWhere = what()
      }
    }
    if let f = closenessFailure(what(), actual, expected, rtol: r, atol: a) { failures.append(f) }
  }

  func check(_ what: String, _ actual: [Double], _ expected: [Double], rtol: Double? = nil, atol: Double? = nil) {
    guard actual.count == expected.count else {
      failures.append("\(what): \(actual.count) values, expected \(expected.count)")
      return
    }
    for i in 0..<actual.count { check("\(what)[\(i)]", actual[i], expected[i], rtol: rtol, atol: atol) }
  }

  func require(_ condition: Bool, _ what: String) { if !condition { failures.append(what) } }
}
