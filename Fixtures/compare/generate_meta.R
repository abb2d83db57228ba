#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# generate_meta.R -- R meta's metabin() with its defaults, for `orrmeta compare --profile meta`
#
#   Rscript Fixtures/compare/generate_meta.R   (from the repository root; seconds)
#
# Reads the datasets of Fixtures/compare/expected.json (dat.bcg, dat.collins1985a,
# dat.nielweise2007, dat.yusuf1985 table 6, the ALK pairs and the random datasets with zero
# cells) and writes meta.json with, for each, metabin(ai, n1i, ci, n2i) under meta 8.2-1's
# defaults (settings reset with settings.meta("reset")) and these variants:
#   default:     sm = "RR", method = "MH", method.tau = "REML", method.random.ci = "classic",
#                incr = 0.5, method.incr = "only0", MH.exact = FALSE, allstudies = FALSE
#   OR, RD:      sm = "OR" / "RD"
#   HK:          method.random.ci = "HK"
#   DL:          method.tau = "DL" (RevMan's MH + DerSimonian-Laird)
#   Peto:        method = "Peto", sm = "OR"
#   Inverse:     method = "Inverse", sm = "RR"
# -> k, TE.common, seTE.common, lower/upper.common, TE.random, seTE.random, lower/upper.random,
#    lower/upper.predict, tau2, Q, df.Q, pval.Q, I2 (a fraction), method.predict.
# A variant that metabin refuses or that fails is left out. Numbers: jsonlite digits = NA;
# NA/NaN written as "NA"/"NaN".

suppressPackageStartupMessages({ library(meta); library(jsonlite) })
settings.meta("reset")
script_path <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grepl("^--file=", a)])
  if (length(f) == 1) normalizePath(f) else NA_character_
})
dir <- if (!is.na(script_path)) dirname(script_path) else file.path(getwd(), "Fixtures", "compare")
src <- fromJSON(file.path(dir, "expected.json"), simplifyVector = TRUE)$datasets
variants <- list(
  default = list(),
  OR = list(sm = "OR"),
  RD = list(sm = "RD"),
  HK = list(method.random.ci = "HK"),
  DL = list(method.tau = "DL"),
  Peto = list(method = "Peto", sm = "OR"),
  Inverse = list(method = "Inverse")
)
num <- function(x) if (is.null(x) || length(x) == 0) NA_real_ else as.numeric(x)
out <- list()
for (i in seq_len(nrow(src))) {
  ai <- src$ai[[i]]; n1i <- src$n1i[[i]]; ci <- src$ci[[i]]; n2i <- src$n2i[[i]]
  cases <- list()
  for (v in names(variants)) {
    args <- c(list(event.e = ai, n.e = n1i, event.c = ci, n.c = n2i), variants[[v]])
    m <- tryCatch(suppressWarnings(do.call(metabin, args)), error = function(e) NULL)
    if (is.null(m)) next
    call <- paste0("metabin(ai, n1i, ci, n2i", paste0(sprintf(", %s = \"%s\"", names(variants[[v]]), unlist(variants[[v]])), collapse = ""), ")")
    cases[[length(cases) + 1]] <- list(
      variant = v, call = call, sm = m$sm, method = m$method, method_tau = m$method.tau,
      method_random_ci = m$method.random.ci, method_predict = m$method.predict, k = m$k,
      TE_common = num(m$TE.common), seTE_common = num(m$seTE.common), lower_common = num(m$lower.common),
      upper_common = num(m$upper.common), TE_random = num(m$TE.random), seTE_random = num(m$seTE.random),
      lower_random = num(m$lower.random), upper_random = num(m$upper.random), lower_predict = num(m$lower.predict),
      upper_predict = num(m$upper.predict), tau2 = num(m$tau2), Q = num(m$Q), df_Q = num(m$df.Q),
      pval_Q = num(m$pval.Q), I2 = num(m$I2))
  }
  out[[length(out) + 1]] <- list(name = src$name[i], ai = ai, n1i = n1i, ci = ci, n2i = n2i, cases = cases)
}
res <- list(
  generator = "Fixtures/compare/generate_meta.R", R_version = R.version.string,
  meta_version = as.character(packageVersion("meta")), metafor_version = as.character(packageVersion("metafor")),
  jsonlite_version = as.character(packageVersion("jsonlite")), datasets = out)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, na = "string", pretty = TRUE), file.path(dir, "meta.json"))
