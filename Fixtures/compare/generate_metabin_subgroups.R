#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# generate_metabin_subgroups.R -- R meta's metabin() with `subgroup =`, for
# `orrmeta compare --profile meta --by COLUMN`
#
#   Rscript Fixtures/compare/generate_metabin_subgroups.R   (from the repository root; needs
#   Fixtures/compare/metabin.json from generate_metabin.R; about a minute)
#
# Writes Fixtures/compare/metabin-subgroups.json (R, meta, metafor, jsonlite versions, calls).
# meta's settings are reset (settings.meta("reset")); every argument not named is meta 8.2-1's
# default, and meta's default control. Datasets: those of metabin.json with k >= 4; trial i is
# in subgroup LETTERS[(i - 1) %% 2 + 1] ("A", "B", "A", ...). Cases:
#   sm OR, RR, RD x method MH (method.tau REML, and DL with method.random.ci "HK"),
#   plus sm OR with method Peto and with method Inverse (REML).
# Recorded per subgroup (meta's *.w elements): k.w, TE/seTE.common.w, TE/seTE.random.w,
# lower/upper.random.w, lower/upper.predict.w, tau2.w, Q.w, I2.w, lower/upper.I2.w, H.w.
suppressPackageStartupMessages({
  library(meta)
  library(jsonlite)
})
settings.meta("reset")
script_path <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grepl("^--file=", a)])
  if (length(f) == 1) normalizePath(f) else NA_character_
})
dir <- if (!is.na(script_path)) dirname(script_path) else file.path(getwd(), "Fixtures", "compare")
src <- fromJSON(file.path(dir, "metabin.json"), simplifyVector = FALSE)$datasets

cases <- list()
for (sm in c("OR", "RR", "RD")) {
  cases[[length(cases) + 1]] <- list(sm = sm, method = "MH", method.tau = "REML", method.random.ci = "classic")
  cases[[length(cases) + 1]] <- list(sm = sm, method = "MH", method.tau = "DL", method.random.ci = "HK")
}
cases[[length(cases) + 1]] <- list(sm = "OR", method = "Peto", method.tau = "REML", method.random.ci = "classic")
cases[[length(cases) + 1]] <- list(sm = "OR", method = "Inverse", method.tau = "REML", method.random.ci = "classic")

vec <- function(x) lapply(as.numeric(x), function(v) if (is.finite(v)) v else NULL)
deparse_args <- function(a) paste0(vapply(names(a), function(n) paste0(n, " = \"", a[[n]], "\""), ""), collapse = ", ")
out <- list()
for (d in src) {
  ai <- unlist(d$ai); n1i <- unlist(d$n1i); ci <- unlist(d$ci); n2i <- unlist(d$n2i)
  k <- length(ai)
  if (k < 4) next
  g <- LETTERS[(seq_len(k) - 1) %% 2 + 1]
  runs <- list()
  for (cs in cases) {
    args <- c(list(event.e = ai, n.e = n1i, event.c = ci, n.c = n2i, subgroup = g), cs)
    m <- tryCatch(suppressWarnings(do.call(metabin, args)), error = function(e) e)
    call <- paste0("metabin(ai, n1i, ci, n2i, subgroup = g, ", deparse_args(cs), ")")
    if (inherits(m, "error")) {
      runs[[length(runs) + 1]] <- list(call = call, args = cs, error = conditionMessage(m))
      next
    }
    runs[[length(runs) + 1]] <- list(
      call = call, args = cs, levels = as.list(m$subgroup.levels), k_w = vec(m$k.w),
      TE_common_w = vec(m$TE.common.w), seTE_common_w = vec(m$seTE.common.w),
      TE_random_w = vec(m$TE.random.w), seTE_random_w = vec(m$seTE.random.w),
      lower_random_w = vec(m$lower.random.w), upper_random_w = vec(m$upper.random.w),
      lower_predict_w = vec(m$lower.predict.w), upper_predict_w = vec(m$upper.predict.w),
      tau2_w = vec(m$tau2.w), Q_w = vec(m$Q.w), I2_w = vec(m$I2.w), lower_I2_w = vec(m$lower.I2.w),
      upper_I2_w = vec(m$upper.I2.w), H_w = vec(m$H.w))
  }
  out[[length(out) + 1]] <- list(name = d$name, ai = ai, n1i = n1i, ci = ci, n2i = n2i, subgroup = g, runs = runs)
}
res <- list(
  generator = "Fixtures/compare/generate_metabin_subgroups.R", R_version = R.version.string,
  meta_version = as.character(packageVersion("meta")), metafor_version = as.character(packageVersion("metafor")),
  jsonlite_version = as.character(packageVersion("jsonlite")), datasets = out)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, null = "null", pretty = FALSE), file.path(dir, "metabin-subgroups.json"))
