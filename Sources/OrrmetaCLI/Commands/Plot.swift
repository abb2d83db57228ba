// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaPlots
import OrrmetaReports

extension Orrmeta {
  /// `orrmeta plot KIND FILE --out FILE.svg`: draw one plot as SVG.
  struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "plot",
      abstract: "Draw a forest, funnel, GOSH, Baujat, cumulative or bubble plot as SVG, PNG or PDF.",
      discussion: """
        Every plot takes the same column and model flags as 'pool'. See Docs/plots.md.

        Examples:
          orrmeta plot forest Fixtures/alk-nsclc/cohorts.csv --output forest.svg
          orrmeta plot forest Fixtures/alk-nsclc/cohorts.csv --by line --test knha \\
            --output forest-by-line.svg
          orrmeta plot forest Fixtures/alk-nsclc/cohorts.csv --order estimate \\
            --x-min 20 --x-max 100 --decimals 2 --output forest.pdf
          orrmeta plot funnel Fixtures/alk-nsclc/cohorts.csv --contours -o funnel.svg
          orrmeta plot funnel Fixtures/alk-nsclc/cohorts.csv --trim-and-fill \\
            --output funnel-tf.svg
          orrmeta plot baujat Fixtures/alk-nsclc/cohorts.csv --output baujat.svg
          orrmeta plot cumulative Fixtures/alk-nsclc/cohorts.csv --order-by n \\
            --output cumulative.svg
          orrmeta plot gosh Fixtures/alk-nsclc/cohorts.csv --subsets 100000 --seed 1 \\
            --output gosh.svg
          orrmeta plot bubble Fixtures/alk-nsclc/cohorts.csv --mod n -o bubble.svg
          orrmeta plot multiverse Fixtures/alk-nsclc/cohorts.csv --reference 0.585 \\
            --output multiverse.svg
        """,
      subcommands: [Forest.self, Funnel.self, Gosh.self, Baujat.self, Cumulative.self, Bubble.self, Multiverse.self, CompareForest.self, CompareFunnel.self])
  }
}

extension Orrmeta.Plot {
  /// `orrmeta plot forest`.
  struct Forest: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "forest",
      abstract: "Forest plot: each cohort's proportion and CI, the common-effect and random-effects diamonds, the prediction interval and heterogeneity; with --by, one block per subgroup and the test for subgroup differences.")

    @OptionGroup var input: CohortFileArguments<PoolScope>
    @OptionGroup var clusterOptions: ClusterOptions
    @OptionGroup var output: PlotOutputOptions
    @OptionGroup var fileFormat: PlotFileOptions
    @OptionGroup var axis: PlotAxisOptions
    @OptionGroup var order: ForestOrderOptions

    func validate() throws {
      try input.model.requireSubgroupsForTauCommon(input.columns)
      if clusterOptions.column != nil, input.columns.by != nil {
        throw ValidationError("--by and --cluster cannot be combined in a forest plot yet")
      }
    }

    func run() throws {
      try output.draw(input, format: fileFormat) { cohorts, settings in
        let options = axis.options(order: order.order)
        if let clusters = try clusterOptions.read(cohorts) {
          return try PlotPipeline.forest(cohorts, settings: settings, clusters: clusters, title: output.title, options: options)
        }
        return try PlotPipeline.forest(cohorts, settings: settings, title: output.title, options: options)
      }
    }
  }

  /// `orrmeta plot funnel`.
  struct Funnel: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "funnel",
      abstract: "Funnel plot: outcomes on the model scale against their standard errors, optionally contour-enhanced.")

    @OptionGroup var plot: CohortPlotArguments<FunnelScope>
    @OptionGroup var funnel: FunnelOptions

    func validate() throws {
      try plot.input.columns.rejectSubgroups(for: "funnel plot")
      if funnel.trimAndFill { try plot.input.model.requireInverseVariance("--trim-and-fill") }
    }

    func run() throws {
      try plot.draw { cohorts, settings in
        if funnel.trimAndFill {
          return try PlotPipeline.funnelWithTrimAndFill(
            cohorts, settings: settings, contourLevels: funnel.levels, nullProportion: try funnel.nullProportion(), title: plot.output.title)
        }
        return try PlotPipeline.funnel(
          cohorts, settings: settings, contourLevels: funnel.levels, nullProportion: try funnel.nullProportion(), title: plot.output.title)
      }
    }
  }

  /// `orrmeta plot gosh`.
  struct Gosh: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "gosh",
      abstract: "GOSH plot: pooled estimate against I² over subsets of cohorts (all 2^k - 1, or --subsets random ones), drawn as a density.")

    @OptionGroup var plot: RefitPlotArguments
    @OptionGroup var subsets: GoshSubsetOptions
    @OptionGroup var resampling: ResamplingOptions

    func validate() throws { try plot.validate(command: "plot gosh", plot: "GOSH plot") }

    func run() throws {
      let options = GoshOptions(maxSubsets: subsets.maxSubsets, seed: resampling.seed, threads: resampling.threads)
      try plot.draw { cohorts, settings in try PlotPipeline.gosh(cohorts, settings: settings, options: options, title: plot.output.title) }
    }
  }

  /// `orrmeta plot baujat`.
  struct Baujat: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "baujat",
      abstract: "Baujat plot: each cohort's contribution to heterogeneity against its influence on the pooled result.")

    @OptionGroup var plot: RefitPlotArguments

    func validate() throws { try plot.validate(command: "plot baujat", plot: "Baujat plot") }

    func run() throws {
      try plot.draw { cohorts, settings in try PlotPipeline.baujat(cohorts, settings: settings, title: plot.output.title) }
    }
  }

  /// `orrmeta plot cumulative`.
  struct Cumulative: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "cumulative",
      abstract: "Cumulative forest plot: the pooled proportion as cohorts are added, in file order or by --order-by.")

    @OptionGroup var plot: RefitPlotArguments
    @OptionGroup var order: CumulativeOrderOptions
    @OptionGroup var axis: PlotAxisOptions

    func validate() throws { try plot.validate(command: "plot cumulative", plot: "cumulative plot") }

    func run() throws {
      try plot.draw { cohorts, settings in
        let cohortOrder = try order.orderBy.map { column throws(InputError) in try CohortOrder(cohorts, ascendingBy: column) }
        return try PlotPipeline.cumulative(cohorts, settings: settings, order: cohortOrder, title: plot.output.title, options: axis.options())
      }
    }
  }

  /// `orrmeta plot bubble`.
  struct Bubble: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "bubble",
      abstract: "Bubble plot (metafor regplot): the cohorts' proportions against a numeric moderator, bubble area proportional to weight, with the meta-regression's predicted proportion and its CI band.")

    @OptionGroup var plot: RefitPlotArguments
    @Option(name: .customLong("mod"), help: "The numeric moderator column (as for regress --mods).")
    var moderator: String

    func validate() throws { try plot.validate(command: "plot bubble", plot: "bubble plot") }

    func run() throws {
      try plot.draw { cohorts, settings in
        try PlotPipeline.bubble(cohorts, settings: settings, moderator: moderator, title: plot.output.title)
      }
    }
  }
}
