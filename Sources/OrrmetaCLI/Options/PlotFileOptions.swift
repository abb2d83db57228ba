// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import OrrmetaPipelines
import OrrmetaPlots
import OrrmetaReports

extension PlotFileFormat: ExpressibleByArgument {
  package init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension ForestPlot.RowOrder: ExpressibleByArgument {
  package init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// The file format of a plot: SVG, PNG or PDF.
struct PlotFileOptions: ParsableArguments {
  @Option(
    name: .customLong("plot-format"),
    help: "svg, png or pdf (default: from the --out extension, .svg/.png/.pdf; SVG otherwise and for '-'). PNG and PDF are converted by rsvg-convert (Debian: librsvg2-bin).")
  var plotFormat: PlotFileFormat?

  @Option(help: "Resolution of a PNG in dots per inch (default 150).")
  var dpi: Double = 150

  func validate() throws {
    guard dpi.isFinite, dpi >= 18, dpi <= 1200 else { throw ValidationError("--dpi must be between 18 and 1200, got \(dpi)") }
  }

  /// The format for output `out`: `--plot-format`, else the extension, else SVG.
  func format(for out: String) -> PlotFileFormat {
    plotFormat ?? (out == "-" ? .svg : PlotFileFormat(extensionOf: out) ?? .svg)
  }
}

/// Presentation of the forest and cumulative plots: axis title and limits, decimals.
struct PlotAxisOptions: ParsableArguments {
  @Option(name: .customLong("x-label"), help: "Title of the x-axis (default: 'Proportion (%)').")
  var xLabel: String?

  @Option(name: .customLong("x-min"), help: "Left end of the x-axis, in percent (0 to 100; default: from the data).")
  var xMin: Double?

  @Option(name: .customLong("x-max"), help: "Right end of the x-axis, in percent (0 to 100; default: from the data).")
  var xMax: Double?

  @Option(help: "Decimals of the percentages in the estimate column, 0 to 4 (default: 1).")
  var decimals: Int = 1

  func validate() throws {
    for (name, v) in [("--x-min", xMin), ("--x-max", xMax)] {
      if let v, !(v.isFinite && v >= 0 && v <= 100) { throw ValidationError("\(name) must be a percentage from 0 to 100, got \(v)") }
    }
    if let a = xMin, let b = xMax, !(a < b) { throw ValidationError("--x-min (\(a)) must be below --x-max (\(b))") }
    guard (0...4).contains(decimals) else { throw ValidationError("--decimals must be 0 to 4, got \(decimals)") }
  }

  /// The plot options; a single given limit keeps the other end at 0 % or 100 %.
  func options(order: ForestPlot.RowOrder = .input) -> ForestPlot.Options {
    var limits: ClosedRange<Double>? = nil
    if xMin != nil || xMax != nil { limits = (xMin ?? 0) / 100...(xMax ?? 100) / 100 }
    return ForestPlot.Options(axisTitle: xLabel, axisLimits: limits, decimals: decimals, order: order)
  }
}

/// The forest plot's cohort order.
struct ForestOrderOptions: ParsableArguments {
  @Option(help: "Order of the cohorts within each block: input, estimate, n or label (default: input).")
  var order: ForestPlot.RowOrder = .input
}
