# SPDX-License-Identifier: GPL-3.0-or-later
#
# One function per command of the binary. Each passes its arguments to .orr_command(), which
# maps them to flags (arguments.R); `...` takes any other flag of the command, `a_b = value`
# for `--a-b value` and `a_b = TRUE` for a bare `--a-b`.

#' Pool the cohorts of one data set (orrmeta pool)
#'
#' @param data a data frame (one row per cohort) or the path of a cohort CSV file.
#' @param events,n the columns of responders and patients (default: found by name, as the CLI).
#' @param measure "PR", "PLN", "PLO" (default), "PAS", "PFT" (metafor's measure; meta's `sm`
#'   codes PRAW, PLOGIT, ... are accepted as `sm =`).
#' @param method "EE", "DL", "HE", "HS", "SJ", "ML", "REML" (default), "EB", "PM", "GLMM" or
#'   "pooled" (metafor's method; meta's `method.tau =` is accepted).
#' @param test "z" (default), "t", "knha", "adhoc" (metafor's test).
#' @param level confidence level, 95 or 0.95.
#' @param subgroup,by a subgroup column (meta's `subgroup`; `by` is the CLI's name).
#' @param label the label column (meta's `studlab`, metafor's `slab` are accepted).
#' @param ... any other flag of `orrmeta pool`: `ci_method = "wilson"`, `add = 0.5`,
#'   `to = "all"`, `nagq = 9`, `orr = "orr_pct"`.
#' @return an object of class `orrmeta_pool` whose elements are the JSON's keys
#'   (`r$pooled$proportion`, `r$heterogeneity$tau2`, `r$studies`, ...).
orr_pool <- function(data, events = NULL, n = NULL, measure = NULL, method = NULL, test = NULL,
                     level = NULL, subgroup = NULL, by = NULL, label = NULL, ...) {
  .orr_command("pool", data, c(.orr_given(events = events, n = n, measure = measure, method = method,
                                          test = test, level = level, subgroup = subgroup, by = by,
                                          label = label), list(...)))
}

#' Sensitivity analyses (orrmeta sensitivity)
#'
#' The analyses are flags: `leave_one_out = TRUE`, `influence = TRUE`, `cumulative = TRUE`
#' (`order_by = "n"`), `bias = TRUE`, `trimfill = TRUE` (`estimator`, `side`), `gosh = TRUE`
#' (`subsets`), `bootstrap = 2000`, or `all = TRUE` (the default when none is given: all but
#' GOSH and the bootstrap). `seed`, `jobs` as the CLI.
#' @inheritParams orr_pool
orr_sensitivity <- function(data, events = NULL, n = NULL, measure = NULL, method = NULL, test = NULL,
                            level = NULL, label = NULL, ...) {
  options <- c(.orr_given(events = events, n = n, measure = measure, method = method, test = test,
                          level = level, label = label), list(...))
  analyses <- c("leave_one_out", "leave.one.out", "influence", "cumulative", "bias", "trimfill",
                "gosh", "bootstrap", "all")
  if (!any(names(options) %in% analyses)) options$all <- TRUE
  .orr_command("sensitivity", data, options)
}

#' Meta-regression (orrmeta regress)
#'
#' @param mods the moderator columns: a character vector, or a one-sided formula as metafor's
#'   `mods = ~ generation + line`; a term `factor(x)` makes `x` categorical.
#' @param categorical columns to treat as categorical even when they hold numbers.
#' @inheritParams orr_pool
#' @param ... other flags: `permutations = 5000`, `seed`, `jobs`, `ci_method`, ...
orr_regress <- function(data, mods, events = NULL, n = NULL, measure = NULL, method = NULL, test = NULL,
                        level = NULL, label = NULL, categorical = NULL, ...) {
  if (inherits(mods, "formula")) {
    terms <- attr(stats::terms(mods), "term.labels")
    factors <- grepl("^(as\\.)?factor\\((.+)\\)$", terms)
    columns <- sub("^(as\\.)?factor\\((.+)\\)$", "\\2", terms)
    plain <- grepl("^[A-Za-z.][A-Za-z0-9._]*$|^`[^`]+`$", columns)
    if (length(terms) == 0L || !all(plain)) {
      stop("orrmeta: mods = ~ ... takes column names joined by + (and factor(column)); interactions and transformations are not supported: ",
           paste(terms[!plain], collapse = ", "), call. = FALSE)
    }
    columns <- gsub("`", "", columns)
    categorical <- unique(c(categorical, columns[factors]))
    mods <- columns
  }
  options <- c(.orr_given(mods = mods, categorical = categorical, events = events, n = n,
                          measure = measure, method = method, test = test, level = level,
                          label = label), list(...))
  .orr_command("regress", data, options)
}

#' Two-arm comparisons of trials (orrmeta compare)
#'
#' Odds ratio, risk ratio or risk difference between the arms of randomised trials, pooled by
#' Mantel-Haenszel, Peto or inverse variance, as metafor's `rma.mh`, `rma.peto` and `rma`.
#' Wide layout: one row per trial with columns events_treat, n_treat, events_ctrl, n_ctrl (or
#' metafor's ai, n1i, ci, n2i; meta's event.e, n.e, event.c, n.c). Long layout (one row per arm,
#' as the cohort table): `arm`, `trial`, `treat` and `control`.
#'
#' @param measure "OR" (default), "RR" or "RD" (metafor's measure; meta's `sm =` is accepted).
#' @param method "MH" (default), "Peto", or an inverse-variance tau^2 estimator "EE", "DL",
#'   "HE", "HS", "SJ", "ML", "REML", "EB", "PM".
#' @param test "z" (default), "t" or "knha" (inverse-variance methods only).
#' @param arm,trial long layout: the columns naming the arm and the trial.
#' @param treat,control long layout: the arm names counted as treatment and as control
#'   (character vectors; each name becomes one `--treat`/`--control`).
#' @param events,n long layout: the responders and patients columns (default: found by name).
#' @inheritParams orr_pool
#' @param ... other flags: `add = 0.5`, `to = "only0"`, `drop00 = TRUE`, `no_drop00 = TRUE`,
#'   `no_cmh_correction = TRUE`, `leave_one_out = TRUE`, `cumulative = TRUE`, `bias = TRUE`.
#' @return an object of class `orrmeta_compare` whose elements are the JSON's keys
#'   (`r$pooled$estimate`, `r$model$se`, `r$heterogeneity$i2`, `r$trials`, ...).
orr_compare <- function(data, measure = NULL, method = NULL, test = NULL, level = NULL, subgroup = NULL,
                        by = NULL, arm = NULL, trial = NULL, treat = NULL, control = NULL, events = NULL,
                        n = NULL, ...) {
  .orr_command("compare", data, c(.orr_given(measure = measure, method = method, test = test, level = level,
                                             subgroup = subgroup, by = by, arm = arm, trial = trial,
                                             treat = treat, control = control, events = events, n = n),
                                  list(...)))
}

#' Every analysis specification at once (orrmeta multiverse)
#'
#' Fits every combination of measure, tau^2 estimator and test (two-level), simple pooling with
#' each binomial CI, the GLMM, and the three-level model with `cluster`; each row equals
#' `orr_pool()` with the row's `pool_arguments`. See Docs/multiverse.md.
#'
#' @param measures,methods,tests,models,ci_methods character vectors of the choices to cross
#'   (default: all; `models` among "simple", "two-level", "three-level", "glmm").
#' @param cluster the trial column: adds the three-level model (cohorts nested in trials).
#' @param reference a published figure to place (0.585 or 58.5).
#' @inheritParams orr_pool
#' @param ... other flags: `nagq`, `jobs`, `plot = "curve.svg"`.
#' @return an object of class `orrmeta_multiverse` whose elements are the JSON's keys
#'   (`r$specifications`, `r$summary$proportion_median`, `r$flags`, ...).
orr_multiverse <- function(data, events = NULL, n = NULL, measures = NULL, methods = NULL, tests = NULL,
                           models = NULL, ci_methods = NULL, cluster = NULL, reference = NULL, level = NULL,
                           subgroup = NULL, by = NULL, label = NULL, ...) {
  .orr_command("multiverse", data, c(.orr_given(events = events, n = n, measures = measures, methods = methods,
                                                tests = tests, models = models, ci_methods = ci_methods,
                                                cluster = cluster, reference = reference, level = level,
                                                subgroup = subgroup, by = by, label = label), list(...)))
}

#' Weighted median of cohort medians, e.g. median PFS (orrmeta pfs)
#'
#' @param value the column of cohort medians (default `median_pfs_months`).
#' @param weights the weights column (default: the cohort-size column).
#' @param ... other flags: `median_method = "interpolated"`, `bootstrap_replicates = 5000`, `seed`.
#' @inheritParams orr_pool
orr_pfs <- function(data, value = NULL, weights = NULL, subgroup = NULL, by = NULL, level = NULL,
                    label = NULL, ...) {
  .orr_command("pfs", data, c(.orr_given(value = value, weights = weights, subgroup = subgroup, by = by,
                                         level = level, label = label), list(...)))
}

# Runs a command that writes a file (plot, report) to `file` (default: a temporary file with
# extension `ext`) and returns its path.
.orr_file_command <- function(command, data, file, ext, options) {
  cleanup <- new.env(parent = emptyenv())
  cleanup$files <- character()
  on.exit(unlink(cleanup$files), add = TRUE)
  if (is.null(file)) file <- tempfile(paste0("orrmeta-", command[length(command)], "-"), fileext = ext)
  file <- normalizePath(path.expand(file), mustWork = FALSE)
  .orr_run(c(command, .orr_input(data, cleanup), .orr_flags(options), "--out", file))
  file
}

#' A plot as an SVG file (orrmeta plot)
#'
#' @param type "forest", "funnel", "gosh", "baujat" or "cumulative".
#' @param file the SVG file to write (default: a temporary file).
#' @param ... the model and column arguments of `orr_pool`, and the plot's flags
#'   (`title`, `contours = TRUE`, `trim_and_fill = TRUE`, `order_by`, `subsets`, `seed`).
#' @return the path of the SVG file.
orr_plot <- function(data, type = c("forest", "funnel", "gosh", "baujat", "cumulative"), file = NULL, ...) {
  .orr_file_command(c("plot", match.arg(type)), data, file, ".svg", list(...))
}

#' A self-contained HTML report (orrmeta report)
#'
#' @param file the HTML file to write (default: a temporary file).
#' @param ... the model and column arguments of `orr_pool`, `analyses = c("forest", "funnel",
#'   "leave-one-out")`, `title`, ...
#' @return the path of the HTML file.
orr_report <- function(data, file = NULL, ...) {
  .orr_file_command("report", data, file, ".html", list(...))
}
