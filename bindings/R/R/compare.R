# SPDX-License-Identifier: GPL-3.0-or-later
#
# print, summary, as.data.frame and coef for orr_compare() results (orrmeta compare). The
# object is the JSON itself; these methods only read it, with the formatters of methods.R.

.orr_compare_model_label <- function(settings) {
  if (settings$method %in% c("MH", "Peto", "EE")) "Common effect model" else "Random effects model"
}

# The pooled rows (overall, or one block per subgroup): estimate on the reported scale, CI,
# statistic and p-value.
.orr_compare_pooled_row <- function(block, digits) {
  sprintf("%10s  %s  %7s  %s", .orr_fmt(block$pooled$estimate, digits),
          .orr_ci(block$pooled$ci_lower, block$pooled$ci_upper, digits), .orr_fmt(block$model$statistic, 2),
          .orr_p(block$model$p_value))
}

#' @export
print.orrmeta_compare <- function(x, digits = 4, ...) {
  s <- x$settings
  ci_head <- formatC(sprintf("%s%%-CI", .orr_fmt(s$level, 0)), width = 2 * digits + 8)
  trials <- x$trials
  n1 <- sum(vapply(trials, function(t) as.numeric(t$n_treat), 0))
  n2 <- sum(vapply(trials, function(t) as.numeric(t$n_ctrl), 0))
  e <- sum(vapply(trials, function(t) as.numeric(t$events_treat) + as.numeric(t$events_ctrl), 0))
  cat(sprintf("Number of studies: k = %d\n", as.integer(x$k)))
  cat(sprintf("Number of observations: o = %s (o.e = %s, o.c = %s)\n", format(n1 + n2, scientific = FALSE),
              format(n1, scientific = FALSE), format(n2, scientific = FALSE)))
  cat(sprintf("Number of events: e = %s\n\n", format(e, scientific = FALSE)))
  d <- as.data.frame(x)
  weight_head <- sprintf("%%W(%s)", s$method)
  rows <- sprintf("%10s  %s  %7s", .orr_fmt(d$effect, digits), .orr_ci(d$effect_ci_lower, d$effect_ci_upper, digits),
                  ifelse(is.na(d$weight), "", paste0(.orr_fmt(d$weight, 1))))
  cat(.orr_table_rows(c("", make.unique(as.character(d$label))),
                      c(sprintf("%10s  %s  %7s", s$measure, ci_head, weight_head), rows)), sep = "\n")
  cat("\n")
  label <- .orr_compare_model_label(s)
  rows <- .orr_compare_pooled_row(x, digits)
  labels <- label
  if (!is.null(x$pooled$pi_lower) && !(s$method %in% c("MH", "Peto", "EE"))) {
    rows <- c(rows, sprintf("%10s  %s", "", .orr_ci(x$pooled$pi_lower, x$pooled$pi_upper, digits)))
    labels <- c(labels, "Prediction interval")
  }
  stat <- if (identical(s$test, "z")) "z" else "t"
  cat(.orr_table_rows(c("", labels), c(sprintf("%10s  %s  %7s  %s", s$measure, ci_head, stat, "p-value"), rows)), sep = "\n")
  h <- x$heterogeneity
  if (!is.null(h$q)) {
    cat("\nQuantifying heterogeneity:\n")
    common <- s$method %in% c("MH", "Peto", "EE")
    tau <- if (!common && !is.null(h$tau2)) sprintf("tau^2 = %s; tau = %s; ", .orr_fmt(h$tau2, digits), .orr_fmt(h$tau, digits)) else ""
    cat(sprintf(" %sI^2 = %s%%; H = %s\n", tau, .orr_fmt(h$i2, 1), .orr_fmt(sqrt(.orr_num_or_na(h$h2)), 2)))
    cat("\nTest of heterogeneity:\n")
    cat(sprintf(" %10s %5s  %s\n", "Q", "d.f.", "p-value"))
    cat(sprintf(" %10s %5s  %s\n", .orr_fmt(h$q, 2), format(h$q_df), .orr_p(h$q_p_value)))
  }
  if (length(x$subgroups) > 0L) {
    cat(sprintf("\nResults for subgroups (%s, %s):\n", tolower(label), x$input$by_column))
    groups <- vapply(x$subgroups, function(g) g$name, "")
    rows <- vapply(x$subgroups, function(g) sprintf("%4d  %s", as.integer(g$k), .orr_compare_pooled_row(g, digits)), "")
    cat(.orr_table_rows(c("", groups), c(sprintf("%4s  %10s  %s  %7s  %s", "k", s$measure, ci_head, stat, "p-value"), rows)),
        sep = "\n")
  }
  for (name in names(x$tests)) {
    t <- x$tests[[name]]
    if (is.null(t)) next
    cat(sprintf("%s%s: statistic = %s, d.f. = %s, p-value %s\n", if (name == names(x$tests)[1]) "\n" else "",
                name, .orr_fmt(t$statistic, 2), format(t$df), .orr_p(t$p_value)))
  }
  cat("\nDetails on meta-analytical method:\n")
  details <- c(
    sprintf("%s (%s)", s$method_name, s$method),
    if (!is.null(s$tau2_method)) sprintf("tau^2 estimator: %s", s$tau2_method),
    sprintf("Measure: %s (%s); model scale: %s; back-transformation: %s", s$measure_name, s$measure,
            s$model_scale, s$back_transformation),
    sprintf("Test: %s; CI: %s", s$test, s$ci_method),
    sprintf("Continuity correction: %s added (to = %s; drop00 = %s)", format(s$add), s$to, format(s$drop00)))
  cat(paste0("- ", details), sep = "\n")
  .orr_print_warnings(x$warnings)
  invisible(x)
}

#' @export
summary.orrmeta_compare <- function(object, ...) structure(list(result = object), class = "summary.orrmeta_compare")

#' @export
print.summary.orrmeta_compare <- function(x, digits = 4, ...) {
  d <- as.data.frame(x$result)
  table <- d[c("events_treat", "n_treat", "events_ctrl", "n_ctrl", "yi", "vi")]
  table$yi <- signif(table$yi, digits)
  table$vi <- signif(table$vi, digits)
  row.names(table) <- make.unique(as.character(d$label))
  print(table, right = TRUE)
  cat("\n")
  print(x$result, digits = digits, ...)
  invisible(x)
}

#' @export
as.data.frame.orrmeta_compare <- function(x, row.names = NULL, optional = FALSE, which = "trials", ...) {
  tables <- c("trials", "leave_one_out", "cumulative")
  if (!which %in% tables || !is.list(x[[which]]) || length(x[[which]]) == 0L) {
    stop(sprintf("orrmeta: no table '%s' in this result; available: %s", which,
                 paste(tables[vapply(tables, function(k) is.list(x[[k]]) && length(x[[k]]) > 0L, logical(1))],
                       collapse = ", ")), call. = FALSE)
  }
  d <- .orr_rows_frame(x[[which]])
  first <- intersect(c("label", "events_treat", "n_treat", "events_ctrl", "n_ctrl", "effect", "effect_ci_lower",
                       "effect_ci_upper", "weight", "yi", "vi", "ci_lower", "ci_upper"), names(d))
  d[c(first, setdiff(names(d), first))]
}

#' @export
coef.orrmeta_compare <- function(object, ...) c(intrcpt = .orr_num_or_na(object$model$estimate))
