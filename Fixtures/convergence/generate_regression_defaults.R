#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Meta-regression under metafor's DEFAULT control, for `--convergence metafor` in `regress`:
# PM by uniroot (tol .Machine$double.eps^0.25 on [0, max(100, 10 mad(yi)^2)]), ML/REML/EB by
# Fisher scoring to 1e-5.
#
# Run from the repository root (after generate_metafor_defaults.R):
#   Rscript Fixtures/convergence/generate_regression_defaults.R
# Writes Fixtures/convergence/regression-defaults.json.
#
# Data: the datasets of metafor-defaults.json with k >= 5, their measure's escalc() yi/vi
# (metafor's default add/to), moderator x = 1..k:
#   res <- rma(yi, vi, mods = ~ x, method = METHOD)       # METHOD in PM, REML, ML, EB
# recording tau2, se.tau2, beta, se (full double precision, shortest round-trip decimal).
suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
fmt <- function(x) {
  vapply(x, function(v) {
    if (!is.finite(v)) return("null")
    for (d in 15:17) { s <- sprintf(paste0("%.", d, "g"), v); if (as.numeric(s) == v) return(s) }
    sprintf("%.17g", v)
  }, "")
}
arr <- function(x) paste0("[", paste(fmt(x), collapse = ","), "]")
src <- fromJSON("Fixtures/convergence/metafor-defaults.json", simplifyVector = FALSE)
out <- character(0)
for (d in src$datasets) {
  k <- d$k
  if (k < 5) next
  es <- escalc(measure = d$measure, xi = unlist(d$events), ni = unlist(d$n))
  x <- seq_len(k)
  for (method in c("PM", "REML", "ML", "EB")) {
    r <- tryCatch(rma(es$yi, es$vi, mods = ~ x, method = method), error = function(e) NULL)
    if (is.null(r)) next
    out <- c(out, sprintf('{"id":%d,"measure":"%s","method":"%s","yi":%s,"vi":%s,"tau2":%s,"tau2_se":%s,"beta":%s,"se":%s}',
      d$id, d$measure, method, arr(es$yi), arr(es$vi), fmt(r$tau2), fmt(r$se.tau2), arr(r$beta), arr(r$se)))
  }
}
writeLines(paste0(
  '{"description":"rma(yi, vi, mods = ~ x, method = METHOD) with metafor default control; x = 1..k",\n',
  '"generator":"Fixtures/convergence/generate_regression_defaults.R",\n',
  '"R_version":', toJSON(R.version.string, auto_unbox = TRUE), ',"metafor_version":"', packageVersion("metafor"), '",\n',
  '"fits":[\n', paste(out, collapse = ",\n"), "\n]}"), "Fixtures/convergence/regression-defaults.json")
