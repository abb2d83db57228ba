// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Validates a JSONSerialization value against the subset of JSON Schema (2020-12) that the
/// schemas in Docs/ use: `type` (a name or a list), `properties`, `required`,
/// `additionalProperties` (false or a schema), `items`, `minItems`, `enum`, `minimum`, `anyOf`.
/// Written by hand because no Swift JSON Schema package is available offline; an unknown
/// keyword is reported, so a schema cannot silently use more than is checked.
/// Returns the failures as "path: message".
public func jsonSchemaFailures(_ value: Any, schema: [String: Any], path: String = "$") -> [String] {
  let known: Set<String> = [
    "$schema", "$id", "title", "description", "type", "properties", "required", "additionalProperties", "items",
    "minItems", "enum", "minimum", "anyOf",
  ]
  var out: [String] = []
  for key in schema.keys where !known.contains(key) { out.append("\(path): schema keyword '\(key)' is not checked") }
  if let any = schema["anyOf"] as? [[String: Any]] {
    if !any.contains(where: { jsonSchemaFailures(value, schema: $0, path: path).isEmpty }) {
      out.append("\(path): matches none of anyOf")
    }
  }
  if let t = schema["type"] {
    let types = (t as? [String]) ?? [t as! String]
    if !types.contains(where: { jsonType(value, is: $0) }) { out.append("\(path): expected type \(types), got \(value)") ; return out }
  }
  if let e = schema["enum"] as? [Any] {
    // The schemas' enums are lists of strings.
    if !e.contains(where: { ($0 as? String) != nil && ($0 as? String) == (value as? String) }) { out.append("\(path): \(value) not in \(e)") }
  }
  if let m = schema["minimum"] as? Double, let n = value as? NSNumber, n.doubleValue < m { out.append("\(path): \(n) < \(m)") }
  if let object = value as? [String: Any] {
    let props = schema["properties"] as? [String: [String: Any]] ?? [:]
    for r in schema["required"] as? [String] ?? [] where object[r] == nil { out.append("\(path): missing required key '\(r)'") }
    for (k, v) in object {
      if let p = props[k] { out += jsonSchemaFailures(v, schema: p, path: "\(path).\(k)") }
      else if let extra = schema["additionalProperties"] {
        if let sub = extra as? [String: Any] { out += jsonSchemaFailures(v, schema: sub, path: "\(path).\(k)") }
        else if (extra as? Bool) == false { out.append("\(path): unexpected key '\(k)'") }
      }
    }
  }
  if let array = value as? [Any] {
    if let min = schema["minItems"] as? Int, array.count < min { out.append("\(path): fewer than \(min) items") }
    if let items = schema["items"] as? [String: Any] {
      for (i, v) in array.enumerated() { out += jsonSchemaFailures(v, schema: items, path: "\(path)[\(i)]") }
    }
  }
  return out
}

private func jsonType(_ value: Any, is type: String) -> Bool {
  switch type {
  case "null": return value is NSNull
  case "object": return value is [String: Any]
  case "array": return value is [Any]
  case "string": return value is String
  case "boolean":
    guard let n = value as? NSNumber else { return false }
    return isBoolean(n)
  case "number", "integer":
    guard let n = value as? NSNumber, !isBoolean(n) else { return false }
    return type == "number" || n.doubleValue.rounded() == n.doubleValue
  default: return false
  }
}

/// JSONSerialization's booleans are NSNumbers of Objective-C type "c" (char) on Darwin and Linux.
private func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }
