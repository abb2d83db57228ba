#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# generate_sensitivity.R -- metafor's leave1out() and cumul() for two-arm comparisons
#
#   Rscript Fixtures/compare/generate_sensitivity.R   (from the repository root; seconds)
#
# Reads the datasets of Fixtures/compare/expected.json (bcg, nielweise2007, the ALK pairs and
# random01..random12, each with its zero-cell settings) and writes sensitivity.json with, for
# rma.mh(measure = OR, RR, RD), rma.peto() and rma(method = "DL"/"REML", test = "z"/"knha",
# control = list(threshold=1e-12, tol=1e-12, maxiter=10000)):
#   leave1out(res) and cumul(res) -> estimate, se, zval (tval with knha), pval, ci.lb, ci.ub, Q, Qp, I2, H2, tau2;
#   for rma (k >= 3): regtest(res) (Egger) and regtest(res, predictor = "ninv") (Peters, ni = n1i + n2i)
#   -> zval, pval, est (limit estimate), ci.lb, ci.ub, slope and its SE;
#   for rma: influence(res) (rstudent, dffits, cook.d, cov.r, tau2.del, QE.del, hat, weight,
#   dfbetas, is.infl) and trimfill(res, control = TIGHT) (k0, se.k0, side, beta, se, ci, pval, tau2);
#   rma with measure = "OR" (DL and REML, z and knha) in addition, with Harbord's test in
#   metafor's regtest form: regtest(rma(measure = "PETO", ai, n1i, ci, n2i, method, test,
#   control = TIGHT, add/to/drop00), predictor = "sei").
# Numbers: jsonlite digits = NA; NA/NaN written as "NA"/"NaN". metafor 3.8-1, R 4.2.2.

suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
script_path <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grepl("^--file=", a)])
  if (length(f) == 1) normalizePath(f) else NA_character_
})
dir <- if (!is.na(script_path)) dirname(script_path) else file.path(getwd(), "Fixtures", "compare")
src <- fromJSON(file.path(dir, "expected.json"), simplifyVector = TRUE)$datasets
keep <- c("bcg", "nielweise2007", "alk_tki_vs_chemo", "alk_nextgen_vs_crizotinib", sprintf("random%02d", 1:12))
TIGHT <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) if (is.null(x)) NA_real_ else as.numeric(x)
rows <- function(x) list(estimate = num(x$estimate), se = num(x$se), zval = num(if (is.null(x$zval)) x$tval else x$zval), pval = num(x$pval),
                         ci_lb = num(x$ci.lb), ci_ub = num(x$ci.ub), QE = num(x$Q), QEp = num(x$Qp),
                         I2 = num(x$I2), H2 = num(x$H2), tau2 = num(x$tau2))
out <- list()
for (i in seq_len(nrow(src))) {
  name <- src$name[i]
  if (!(name %in% keep)) next
  ai <- src$ai[[i]]; n1i <- src$n1i[[i]]; ci <- src$ci[[i]]; n2i <- src$n2i[[i]]
  zc <- src$zero_cells[i, ]
  za <- if (name %in% c("bcg", "nielweise2007", "alk_tki_vs_chemo", "alk_nextgen_vs_crizotinib")) list() else
    list(add = zc$add, to = zc$to, drop00 = as.logical(zc$drop00))
  fits <- list()
  for (m in c("OR", "RR", "RD")) fits[[length(fits) + 1]] <- list(measure = m, method = "MH", test = "z",
    f = function(m) function() do.call(rma.mh, c(list(measure = m, ai = ai, n1i = n1i, ci = ci, n2i = n2i), za)))
  fits[[length(fits) + 1]] <- list(measure = "OR", method = "Peto", test = "z",
    f = function(m) function() do.call(rma.peto, c(list(ai = ai, n1i = n1i, ci = ci, n2i = n2i), za)))
  for (ms in c("RR", "OR")) for (meth in c("DL", "REML")) for (t in c("z", "knha")) fits[[length(fits) + 1]] <- list(measure = ms, method = meth, test = t,
    f = local({ meth <- meth; t <- t; function(m) function() do.call(rma, c(list(measure = m, ai = ai, n1i = n1i, ci = ci, n2i = n2i,
      method = meth, test = t, control = TIGHT), za)) }))
  cases <- list()
  for (fc in fits) {
    res <- tryCatch(suppressWarnings(fc$f(fc$measure)()), error = function(e) NULL)
    if (is.null(res)) next
    l <- tryCatch(suppressWarnings(leave1out(res)), error = function(e) NULL)
    cu <- tryCatch(suppressWarnings(cumul(res)), error = function(e) NULL)
    if (is.null(l) || is.null(cu)) next
    case <- list(measure = fc$measure, method = fc$method, test = fc$test, leave1out = rows(l), cumul = rows(cu))
    if (!(fc$method %in% c("MH", "Peto")) && res$k >= 3) {
      reg <- function(r) if (is.null(r)) NULL else list(zval = num(r$zval), pval = num(r$pval), est = num(r$est),
        ci_lb = num(r$ci.lb), ci_ub = num(r$ci.ub), slope = num(r$fit$beta[2]), slope_se = num(r$fit$se[2]))
      case$egger <- reg(tryCatch(suppressWarnings(regtest(res)), error = function(e) NULL))
      case$peters <- reg(tryCatch(suppressWarnings(regtest(res, predictor = "ninv")), error = function(e) NULL))
      if (fc$measure == "OR") {
        peto <- tryCatch(suppressWarnings(do.call(rma, c(list(measure = "PETO", ai = ai, n1i = n1i, ci = ci, n2i = n2i,
          method = fc$method, test = fc$test, control = TIGHT), za))), error = function(e) NULL)
        if (!is.null(peto) && peto$k >= 3) case$harbord <- reg(tryCatch(suppressWarnings(regtest(peto, predictor = "sei")), error = function(e) NULL))
      }
    }
    if (!(fc$method %in% c("MH", "Peto"))) {
      inf <- tryCatch(suppressWarnings(influence(res)), error = function(e) NULL)
      if (!is.null(inf)) case$influence <- list(rstudent = num(inf$inf$rstudent), dffits = num(inf$inf$dffits),
        cook_d = num(inf$inf$cook.d), cov_r = num(inf$inf$cov.r), tau2_del = num(inf$inf$tau2.del), qe_del = num(inf$inf$QE.del),
        hat = num(inf$inf$hat), weight = num(inf$inf$weight), dfbetas = num(inf$dfbs$intrcpt), influential = as.logical(inf$is.infl))
      tf <- tryCatch(suppressWarnings(trimfill(res, control = TIGHT)), error = function(e) NULL)
      if (!is.null(tf)) case$trimfill <- list(k0 = tf$k0, se_k0 = num(tf$se.k0), side = tf$side, estimate = num(tf$beta),
        se = num(tf$se), ci_lb = num(tf$ci.lb), ci_ub = num(tf$ci.ub), pval = num(tf$pval), tau2 = num(tf$tau2))
    }
    cases[[length(cases) + 1]] <- case
  }
  out[[length(out) + 1]] <- list(name = name, cases = cases)
}
writeLines(toJSON(list(generator = "Fixtures/compare/generate_sensitivity.R",
                       metafor_version = as.character(packageVersion("metafor")), R_version = R.version.string,
                       datasets = out), auto_unbox = TRUE, digits = NA, na = "string"),
           file.path(dir, "sensitivity.json"))
cat("wrote sensitivity.json\n")
