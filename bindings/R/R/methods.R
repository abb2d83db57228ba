# SPDX-License-Identifier: GPL-3.0-or-later
#
# print, summary, as.data.frame and coef for the results. The objects are the JSON itself; these
# methods only read it.

.orr_num_or_na <- function(x) if (is.null(x)) NA_real_ else as.numeric(x)

.orr_fmt <- function(x, digits = 4) {
  x <- .orr_num_or_na(x)
  ifelse(is.na(x), "NA", formatC(x, format = "f", digits = digits))
}

.orr_ci <- function(lower, upper, digits = 4, suffix = "") {
  sprintf("[%s%s; %s%s]", .orr_fmt(lower, digits), suffix, .orr_fmt(upper, digits), suffix)
}

.orr_p <- function(p) {
  p <- .orr_num_or_na(p)
  if (is.na(p)) "NA" else if (p < 1e-4) "< 0.0001" else formatC(p, format = "f", digits = 4)
}

.orr_model_label <- function(settings) {
  switch(settings$method,
         EE = "Common effect model",
         pooled = "Simple pooling (events / n)",
         GLMM = "Random effects model (GLMM)",
         "Random effects model")
}

.orr_table_rows <- function(labels, cells) {
  width <- max(nchar(labels))
  paste0(formatC(labels, width = -width), "  ", cells)
}

#' @export
print.orrmeta_pool <- function(x, digits = 4, ...) {
  s <- x$settings
  lv <- .orr_fmt(s$level, 0)
  cat(sprintf("Number of studies: k = %d\n", as.integer(x$k)))
  if (!is.null(x$totals)) {
    cat(sprintf("Number of observations: o = %s\n", format(x$totals$n, scientific = FALSE)))
    cat(sprintf("Number of events: e = %s\n", format(x$totals$events, scientific = FALSE)))
  }
  cat("\n")
  ci_head <- sprintf("%s%%-CI", lv)
  rows <- c(sprintf("%10s  %s", .orr_fmt(x$pooled$proportion, digits), .orr_ci(x$pooled$ci_lower, x$pooled$ci_upper, digits)))
  labels <- .orr_model_label(s)
  if (!is.null(x$pooled$pi_lower)) {
    rows <- c(rows, sprintf("%10s  %s", "", .orr_ci(x$pooled$pi_lower, x$pooled$pi_upper, digits)))
    labels <- c(labels, "Prediction interval")
  }
  width <- max(nchar(labels))
  cat(formatC("", width = width), "  ", sprintf("%10s  %s", "proportion", formatC(ci_head, width = 2 * digits + 8)), "\n", sep = "")
  cat(.orr_table_rows(labels, rows), sep = "\n")
  h <- x$heterogeneity
  if (!identical(s$method, "pooled") && !is.null(h$q)) {
    cat("\nQuantifying heterogeneity:\n")
    if (!identical(s$method, "EE") && !is.null(h$tau2)) {
      cat(sprintf(" tau^2 = %s %s; tau = %s; I^2 = %s%% %s; H = %s\n",
                  .orr_fmt(h$tau2, digits), .orr_ci(h$tau2_ci_lower, h$tau2_ci_upper, digits), .orr_fmt(h$tau, digits),
                  .orr_fmt(h$i2, 1), .orr_ci(h$i2_ci_lower, h$i2_ci_upper, 1, "%"), .orr_fmt(sqrt(.orr_num_or_na(h$h2)), 2)))
    } else {
      cat(sprintf(" I^2 = %s%%; H = %s\n", .orr_fmt(h$i2, 1), .orr_fmt(sqrt(.orr_num_or_na(h$h2)), 2)))
    }
    cat("\nTest of heterogeneity:\n")
    cat(sprintf(" %10s %5s  %s\n", "Q", "d.f.", "p-value"))
    cat(sprintf(" %10s %5s  %s\n", .orr_fmt(h$q, 2), format(h$q_df), .orr_p(h$q_p_value)))
  }
  if (length(x$subgroups) > 0L) {
    cat(sprintf("\nResults for subgroups (%s, %s):\n", tolower(.orr_model_label(s)), x$input$by_column))
    labels <- vapply(x$subgroups, function(g) g$name, "")
    rows <- vapply(x$subgroups, function(g) {
      sprintf("%4d  %10s  %s  %s%%", as.integer(g$k), .orr_fmt(g$pooled$proportion, digits),
              .orr_ci(g$pooled$ci_lower, g$pooled$ci_upper, digits), .orr_fmt(g$heterogeneity$i2, 1))
    }, "")
    cat(.orr_table_rows(c("", labels), c(sprintf("%4s  %10s  %s  %s", "k", "proportion", formatC(ci_head, width = 2 * digits + 8), "I^2"), rows)), sep = "\n")
    if (!is.null(x$subgroup_test)) {
      t <- x$subgroup_test
      cat(sprintf("\nTest for subgroup differences: Q = %s, d.f. = %s, p-value %s (%s)\n",
                  .orr_fmt(t$q, 2), format(t$df), .orr_p(t$p_value), t$method))
    }
  }
  cat("\nDetails on meta-analytical method:\n")
  details <- c(
    if (identical(s$method, "pooled")) "Simple pooling: sum of events / sum of n" else
      if (identical(s$method, "GLMM")) sprintf("Binomial-normal GLMM (%s quadrature points)", format(s$nagq)) else "Inverse variance method",
    sprintf("%s%s (%s)", toupper(substr(s$method_name, 1, 1)), substring(s$method_name, 2), s$method),
    if (!is.null(s$tau2_ci_method)) sprintf("%s for confidence interval of tau^2", s$tau2_ci_method),
    sprintf("Measure: %s (%s); back-transformation: %s", s$measure_name, s$measure, s$back_transformation),
    sprintf("Test: %s; prediction interval: %s", s$test, if (is.null(s$pi_method)) "none" else s$pi_method),
    sprintf("Continuity correction: %s added (to = %s)", format(s$add), s$to),
    sprintf("Per-study confidence intervals: %s", s$ci_method))
  cat(paste0("- ", details), sep = "\n")
  .orr_print_warnings(x$warnings)
  invisible(x)
}

.orr_print_warnings <- function(warnings) {
  if (length(warnings) > 0L) {
    cat("\nWarnings:\n")
    cat(paste0("- ", unlist(warnings)), sep = "\n")
  }
}

#' @export
summary.orrmeta_pool <- function(object, ...) structure(list(result = object), class = "summary.orrmeta_pool")

#' @export
print.summary.orrmeta_pool <- function(x, digits = 4, ...) {
  d <- as.data.frame(x$result)
  lv <- .orr_fmt(x$result$settings$level, 0)
  table <- data.frame(events = d$events, n = d$n, proportion = .orr_fmt(d$proportion, digits),
                      ci = .orr_ci(d$ci_lower, d$ci_upper, digits), weight = paste0(.orr_fmt(d$weight, 1), "%"),
                      row.names = make.unique(as.character(d$label)), check.names = FALSE)
  names(table)[4] <- sprintf("%s%%-CI", lv)
  print(table, right = TRUE)
  cat("\n")
  print(x$result, digits = digits, ...)
  invisible(x)
}

#' @export
as.data.frame.orrmeta_pool <- function(x, row.names = NULL, optional = FALSE, ...) .orr_rows_frame(x$studies)

#' @export
coef.orrmeta_pool <- function(object, ...) c(intrcpt = .orr_num_or_na(object$model$estimate))

#' @export
print.orrmeta_sensitivity <- function(x, digits = 4, ...) {
  class(x) <- c("orrmeta_pool", "orrmeta_result")
  print(x, digits = digits, ...)
  done <- .orr_sensitivity_tables(x)
  if (length(done) > 0L) {
    cat(sprintf("\nSensitivity analyses: %s (as.data.frame(x, which = ...))\n", paste(done, collapse = ", ")))
  }
  b <- x$bias
  if (!is.null(b)) {
    for (test in names(b)) {
      t <- b[[test]]
      if (is.null(t)) next
      stat <- if (!is.null(t$statistic)) t$statistic else t$tau
      cat(sprintf("  %s: statistic = %s, p-value %s\n", test, .orr_fmt(stat, digits), .orr_p(t$p_value)))
    }
  }
  tf <- x$trimfill
  if (!is.null(tf)) {
    cat(sprintf("  trim-and-fill: %s imputed on the %s side; adjusted proportion %s %s\n", format(tf$k0),
                format(tf$side), .orr_fmt(tf$proportion, digits), .orr_ci(tf$proportion_ci_lower, tf$proportion_ci_upper, digits)))
  }
  invisible(x)
}

# The analyses of a sensitivity result that are tables (one row per cohort or step).
.orr_sensitivity_tables <- function(x) {
  keys <- c("leave_one_out", "influence", "baujat", "cumulative")
  keys[vapply(keys, function(k) is.list(x[[k]]) && length(x[[k]]) > 0L && is.null(names(x[[k]])), logical(1))]
}

#' @export
summary.orrmeta_sensitivity <- function(object, ...) object

#' @export
as.data.frame.orrmeta_sensitivity <- function(x, row.names = NULL, optional = FALSE, which = NULL, ...) {
  tables <- .orr_sensitivity_tables(x)
  if (is.null(which)) which <- if (length(tables) > 0L) tables[1] else "studies"
  if (identical(which, "studies")) return(.orr_rows_frame(x$studies))
  if (!which %in% tables) stop(sprintf("orrmeta: no table '%s' in this result; available: %s", which,
                                       paste(c(tables, "studies"), collapse = ", ")), call. = FALSE)
  .orr_rows_frame(x[[which]])
}

#' @export
coef.orrmeta_sensitivity <- function(object, ...) c(intrcpt = .orr_num_or_na(object$model$estimate))

.orr_regression_rows <- function(x) x$meta_regression$coefficients

#' @export
print.orrmeta_regress <- function(x, digits = 4, ...) {
  m <- x$meta_regression
  cat(sprintf("Mixed-effects meta-regression (k = %d; tau^2 estimator: %s; measure %s)\n\n", as.integer(x$k),
              x$settings$method, x$settings$measure))
  d <- as.data.frame(x)
  num <- vapply(d, is.numeric, logical(1))
  d[num] <- lapply(d[num], function(v) signif(v, digits))
  print(d, row.names = FALSE)
  cat("\n")
  for (key in c("tau2", "i2", "r2")) if (!is.null(m[[key]])) cat(sprintf("%s = %s  ", key, .orr_fmt(m[[key]], digits)))
  cat("\n")
  if (!is.null(m$qm)) cat(sprintf("Test of moderators: QM = %s, p-value %s\n", .orr_fmt(m$qm, 2), .orr_p(m$qm_p_value)))
  if (!is.null(m$qe)) cat(sprintf("Residual heterogeneity: QE = %s, p-value %s\n", .orr_fmt(m$qe, 2), .orr_p(m$qe_p_value)))
  .orr_print_warnings(x$warnings)
  invisible(x)
}

#' @export
summary.orrmeta_regress <- function(object, ...) object

#' @export
as.data.frame.orrmeta_regress <- function(x, row.names = NULL, optional = FALSE, ...) {
  d <- .orr_rows_frame(.orr_regression_rows(x))
  first <- intersect(c("name", "estimate", "se", "statistic", "p_value", "ci_lower", "ci_upper"), names(d))
  d[c(first, setdiff(names(d), first))]
}

#' @export
coef.orrmeta_regress <- function(object, ...) {
  rows <- .orr_regression_rows(object)
  stats::setNames(vapply(rows, function(r) .orr_num_or_na(r$estimate), 0), vapply(rows, function(r) r$name, ""))
}

.orr_pfs_blocks <- function(x) c(list(x$overall), x$subgroups)

#' @export
print.orrmeta_pfs <- function(x, digits = 2, ...) {
  cat(sprintf("Weighted median of cohort medians (%s)\n\n", x$settings$method))
  d <- as.data.frame(x)
  table <- data.frame(k = d$k, weight = d$total_weight, median = .orr_fmt(d$weighted_median, digits),
                      sign_test_ci = .orr_ci(d$sign_test_ci_lower, d$sign_test_ci_upper, digits),
                      bootstrap_ci = .orr_ci(d$bootstrap_ci_lower, d$bootstrap_ci_upper, digits),
                      left_out = d$left_out, row.names = d$name)
  print(table)
  .orr_print_warnings(x$warnings)
  invisible(x)
}

#' @export
summary.orrmeta_pfs <- function(object, ...) object

#' @export
as.data.frame.orrmeta_pfs <- function(x, row.names = NULL, optional = FALSE, ...) {
  rows <- lapply(.orr_pfs_blocks(x), function(b) {
    b$left_out <- b$left_out$count
    b[c("name", "k", "total_weight", "weighted_median", "sign_test_ci_lower", "sign_test_ci_upper",
        "bootstrap_ci_lower", "bootstrap_ci_upper", "minimum", "maximum", "left_out")]
  })
  .orr_rows_frame(rows)
}

#' @export
coef.orrmeta_pfs <- function(object, ...) {
  blocks <- .orr_pfs_blocks(object)
  stats::setNames(vapply(blocks, function(b) .orr_num_or_na(b$weighted_median), 0), vapply(blocks, function(b) b$name, ""))
}

#' @export
print.orrmeta_batch <- function(x, ...) {
  cat(sprintf("orrmeta batch: %d file x analysis pairs, %d failed (exit status %d)\n\n", nrow(x$summary),
              nrow(x$errors), x$status))
  cols <- intersect(c("file", "analysis", "status", "k", "proportion", "ci_lower", "ci_upper", "i2"), names(x$summary))
  print(x$summary[cols], row.names = FALSE, digits = 4)
  if (nrow(x$errors) > 0L) {
    cat("\nErrors:\n")
    print(x$errors, row.names = FALSE)
  }
  invisible(x)
}

#' @export
summary.orrmeta_batch <- function(object, ...) object$summary

#' @export
as.data.frame.orrmeta_batch <- function(x, row.names = NULL, optional = FALSE, ...) x$summary

#' @export
coef.orrmeta_batch <- function(object, ...) {
  s <- object$summary
  stats::setNames(as.numeric(s$proportion), paste(s$file, s$analysis, sep = ":"))
}

#' The JSON text the binary wrote for a result
#' @export
orr_json <- function(x) attr(x, "orrmeta_json")
