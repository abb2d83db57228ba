// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// The file format of a plot: SVG as drawn, or PNG / PDF converted from it by `rsvg-convert`
/// (librsvg, Debian package librsvg2-bin), run as a subprocess.
///
/// orrmeta has no rasteriser of its own: librsvg is a maintained SVG renderer that every Linux
/// distribution and Homebrew package, and a subprocess keeps its C libraries (cairo, pango,
/// glib) out of the orrmeta binary, which then runs without them when only SVG is wanted.
package enum PlotFileFormat: String, CaseIterable, Sendable {
  case svg, png, pdf

  /// The format named by a path's extension (`.svg`, `.png`, `.pdf`, any case), or nil.
  package init?(extensionOf path: String) {
    self.init(rawValue: (path as NSString).pathExtension.lowercased())
  }

  /// A conversion that failed: the converter is missing or reported an error.
  package struct ConversionError: Error, CustomStringConvertible, Sendable {
    package let description: String
  }

  /// The converter's executable name, looked up on `PATH` (override with `ORRMETA_RSVG_CONVERT`).
  package static var converter: String {
    ProcessInfo.processInfo.environment["ORRMETA_RSVG_CONVERT"] ?? "rsvg-convert"
  }

  /// The bytes of `svg` in this format: the UTF-8 text for SVG; for PNG and PDF the output of
  /// `rsvg-convert --format png|pdf` (PNG at `dpi`, default 150 — twice the 72-dpi size in
  /// pixels, sharp on screen and in print drafts).
  ///
  /// - Throws: ``ConversionError`` naming the converter and the Debian package to install
  ///   when it cannot be run, or with its message when it fails.
  package func render(_ svg: SVGDocument, dpi: Double = 150) throws(ConversionError) -> Data {
    let text = svg.standalone
    if self == .svg { return Data(text.utf8) }
    let fm = FileManager.default
    let dir = NSTemporaryDirectory() + "orrmeta-plot-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
    do {
      try fm.createDirectory(atPath: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    } catch {
      throw ConversionError(description: "cannot create a temporary directory for the \(rawValue.uppercased()) conversion: \(error.localizedDescription)")
    }
    defer { try? fm.removeItem(atPath: dir) }
    let input = dir + "/plot.svg", output = dir + "/plot." + rawValue
    guard fm.createFile(atPath: input, contents: Data(text.utf8)) else {
      throw ConversionError(description: "cannot write the temporary SVG for the \(rawValue.uppercased()) conversion")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let scale = self == .png ? dpi / 72 : 1
    process.arguments = [Self.converter, "--format", rawValue, "--zoom", "\(scale)", "--output", output, input]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw ConversionError(description: "cannot run \(Self.converter) (\(error.localizedDescription)); install librsvg2-bin (Debian/Ubuntu) or librsvg (Homebrew) for PNG and PDF plots, or write SVG")
    }
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0, let data = fm.contents(atPath: output), !data.isEmpty else {
      if process.terminationStatus == 127 {
        throw ConversionError(description: "\(Self.converter) not found; install librsvg2-bin (Debian/Ubuntu) or librsvg (Homebrew) for PNG and PDF plots, or write SVG")
      }
      throw ConversionError(description: "\(Self.converter) failed (exit \(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    return data
  }
}
