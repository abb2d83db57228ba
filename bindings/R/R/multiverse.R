# SPDX-License-Identifier: GPL-3.0-or-later
#
# print, summary, as.data.frame and coef for orr_multiverse() results (orrmeta multiverse).
# The object is the JSON itself; these methods only read it, with the formatters of methods.R.

# "two-level PLO REML z", "simple clopper-pearson": the words of one specification.
.orr_multiverse_names <- function(rows) {
  vapply(rows, function(r) {
    words <- unlist(list(r$model, r$measure, if (identical(r$model, "simple")) NULL else r$method, r$test, r$ci_method))
    paste(c(words, if (!is.null(r$subgroup)) paste0("[", r$subgroup, "]")), collapse = " ")
  }, "")
}

#' @export
print.orrmeta_multiverse <- function(x, digits = 4, ...) {
  s <- x$summary
  cat(sprintf("Multiverse: %d specifications (k = %d; %d fitted, %d failed, %d not converged)\n",
              as.integer(s$specifications), as.integer(x$k), as.integer(s$fitted), as.integer(s$failed),
              as.integer(s$not_converged)))
  cat(sprintf("Pooled proportion: median %s, range %s\n", .orr_fmt(s$proportion_median, digits),
              .orr_ci(s$proportion_min, s$proportion_max, digits)))
  for (w in c("widest_ci", "narrowest_ci")) {
    p <- s[[w]]
    if (!is.null(p)) cat(sprintf("%s: #%d %s %s\n", if (w == "widest_ci") "Widest CI" else "Narrowest CI",
                                 as.integer(p$id), .orr_fmt(p$proportion, digits), .orr_ci(p$ci_lower, p$ci_upper, digits)))
  }
  if (!is.null(s$reference)) {
    cat(sprintf("Reference %s: inside %d CIs (%s); %s of the estimates below it\n", .orr_fmt(s$reference, digits),
                as.integer(s$reference_in_ci), .orr_fmt(s$reference_in_ci_share, 3), .orr_fmt(s$reference_percentile, 3)))
  }
  if (length(x$flags) > 0L) {
    cat("\nFlags:\n")
    for (f in x$flags) cat(sprintf("- [%s] %s\n", f$code, f$message))
  }
  .orr_print_warnings(x$warnings)
  invisible(x)
}

#' @export
summary.orrmeta_multiverse <- function(object, ...) object$summary

#' @export
as.data.frame.orrmeta_multiverse <- function(x, row.names = NULL, optional = FALSE, which = "specifications", ...) {
  if (!which %in% c("specifications", "flags")) {
    stop(sprintf("orrmeta: no table '%s' in this result; available: specifications, flags", which), call. = FALSE)
  }
  .orr_rows_frame(x[[which]])
}

# The overall pooled proportions, named by their specification.
#' @export
coef.orrmeta_multiverse <- function(object, ...) {
  rows <- Filter(function(r) is.null(r$subgroup), object$specifications)
  stats::setNames(vapply(rows, function(r) .orr_num_or_na(r$proportion), 0), .orr_multiverse_names(rows))
}
