// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Validates a JSON value (Foundation objects) against the subset of JSON Schema 2020-12 that
/// orrmeta's schemas use: `type` (a name or a list; "integer" checks for a whole number),
/// `enum`, `properties`, `required`, `additionalProperties` (false or a schema), `items`,
/// `minItems`, `maxItems`, `anyOf`, `minimum`, `maximum` and `$ref` (a JSON pointer into the schema). The one
/// validator of the suite: every schema test (pool, compare, pfs) goes through it. Written by hand because no JSON Schema
/// library is available to the tests offline; an unknown keyword fails loudly so that the
/// subset cannot silently skip a rule.
public struct JSONSchemaSubset {
  let root: [String: Any]
  static let known: Set<String> = [
    "$schema", "$id", "title", "description", "type", "enum", "properties", "required", "additionalProperties",
    "items", "minItems", "maxItems", "anyOf", "minimum", "maximum", "$ref", "$defs",
  ]

  public init(path: String) throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw NSError(domain: "schema", code: 1, userInfo: [NSLocalizedDescriptionKey: "schema is not an object"])
    }
    self.root = root
  }

  /// A validator for a schema already parsed.
  public init(schema: [String: Any]) { root = schema }

  /// Every violation, as "path: problem" (empty when valid).
  public func violations(of value: Any) -> [String] {
    var out: [String] = []
    check(value, root, "$", &out)
    return out
  }

  func typeMatches(_ value: Any, _ name: String) -> Bool {
    switch name {
    case "null": return value is NSNull
    // JSONSerialization gives booleans as a distinct NSNumber subclass with objCType "c".
    case "boolean": return (value as? NSNumber).map { "\(type(of: $0))".contains("Boolean") || String(cString: $0.objCType) == "c" } ?? false
    case "number": return value is NSNumber && !typeMatches(value, "boolean")
    case "integer":
      guard typeMatches(value, "number"), let d = (value as? NSNumber)?.doubleValue else { return false }
      return d == d.rounded()
    case "string": return value is String
    case "array": return value is [Any]
    case "object": return value is [String: Any]
    default: return false
    }
  }

  func check(_ value: Any, _ schema: [String: Any], _ path: String, _ out: inout [String]) {
    for key in schema.keys where !Self.known.contains(key) { out.append("\(path): schema keyword '\(key)' is not supported by the validator") }
    if let ref = schema["$ref"] as? String {
      // A JSON pointer into this schema (`#/$defs/NAME`, `#/properties/NAME`, ...).
      var node: Any? = ref.hasPrefix("#/") ? root : nil
      for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
      guard let target = node as? [String: Any] else {
        out.append("\(path): unresolved $ref \(ref)")
        return
      }
      check(value, target, path, &out)
    }
    if let any = schema["anyOf"] as? [[String: Any]] {
      if !any.contains(where: { option in
        var inner: [String] = []
        check(value, option, path, &inner)
        return inner.isEmpty
      }) {
        out.append("\(path): matches none of anyOf")
      }
    }
    if let t = schema["type"] {
      let names = (t as? [String]) ?? [(t as? String) ?? ""]
      if !names.contains(where: { typeMatches(value, $0) }) { out.append("\(path): expected type \(names), got \(value)") }
    }
    if let options = schema["enum"] as? [Any] {
      if !options.contains(where: { "\($0)" == "\(value)" && type(of: $0) == type(of: value) || ($0 as? String) == (value as? String) && value is String }) {
        out.append("\(path): \(value) is not one of \(options)")
      }
    }
    if let n = value as? NSNumber, typeMatches(value, "number") {
      if let lo = (schema["minimum"] as? NSNumber)?.doubleValue, n.doubleValue < lo { out.append("\(path): \(n) < minimum \(lo)") }
      if let hi = (schema["maximum"] as? NSNumber)?.doubleValue, n.doubleValue > hi { out.append("\(path): \(n) > maximum \(hi)") }
    }
    if let object = value as? [String: Any] {
      let properties = schema["properties"] as? [String: Any] ?? [:]
      for key in schema["required"] as? [String] ?? [] where object[key] == nil { out.append("\(path): missing required '\(key)'") }
      for (key, v) in object {
        if let p = properties[key] as? [String: Any] {
          check(v, p, "\(path).\(key)", &out)
        } else if let extra = schema["additionalProperties"] {
          if let flag = extra as? Bool, !flag { out.append("\(path): unexpected property '\(key)'") }
          if let s = extra as? [String: Any] { check(v, s, "\(path).\(key)", &out) }
        }
      }
    }
    if let array = value as? [Any] {
      if let lo = schema["minItems"] as? Int, array.count < lo { out.append("\(path): \(array.count) items < minItems \(lo)") }
      if let hi = schema["maxItems"] as? Int, array.count > hi { out.append("\(path): \(array.count) items > maxItems \(hi)") }
      if let items = schema["items"] as? [String: Any] {
        for (i, v) in array.enumerated() { check(v, items, "\(path)[\(i)]", &out) }
      }
    }
  }
}
