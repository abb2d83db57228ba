#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# generate_glmm.R -- metafor's conditional model with the exact likelihood for odds ratios
#
#   Rscript Fixtures/compare/generate_glmm.R   (from the repository root; about a minute)
#
# For datasets of Fixtures/compare/expected.json:
#   rma.glmm(measure="OR", ai, n1i, ci, n2i, model="CM.EL",
#            control=list(dnchgcalc="dnoncenhypergeom"))
# (BiasedUrn, metafor's default for the non-central hypergeometric density, is not installed;
# dnoncenhypergeom computes the same density) -> k, beta, se, zval, pval, ci.lb, ci.ub, tau2.
# metafor 3.8-1 (optim/BFGS, numDeriv Hessian). Numbers: jsonlite digits = NA.
#
# um_fs: the unconditional model with fixed study effects,
#   rma.glmm(measure="OR", ai, n1i, ci, n2i, model="UM.FS", test, control=list(glmerCtrl=
#            list(optimizer="bobyqa", optCtrl=list(rhoend=1e-10, maxfun=1e5))))
# (lme4 glmer, nAGQ = 7, random treatment effect coded +-1/2, Hessian-based vcov) ->
# k, beta, se, zval, pval, ci.lb, ci.ub, tau2, QE.LRT (lme4 deviance), QEp.LRT, I2, H2, for every dataset of
# expected.json (z) and the first ten with test = "t".

suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
script_path <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grepl("^--file=", a)])
  if (length(f) == 1) normalizePath(f) else NA_character_
})
dir <- if (!is.na(script_path)) dirname(script_path) else file.path(getwd(), "Fixtures", "compare")
src <- fromJSON(file.path(dir, "expected.json"), simplifyVector = TRUE)$datasets
keep <- c("nielweise2007", "collins1985a", "yusuf1985_table6", "alk_tki_vs_chemo", sprintf("random%02d", c(1, 2, 4, 5, 7, 8)))
out <- list()
for (i in seq_len(nrow(src))) {
  if (!(src$name[i] %in% keep)) next
  r <- tryCatch(suppressWarnings(rma.glmm(measure = "OR", ai = src$ai[[i]], n1i = src$n1i[[i]], ci = src$ci[[i]],
    n2i = src$n2i[[i]], model = "CM.EL", control = list(dnchgcalc = "dnoncenhypergeom"))), error = function(e) e)
  if (inherits(r, "error")) { out[[length(out) + 1]] <- list(name = src$name[i], error = conditionMessage(r)); next }
  out[[length(out) + 1]] <- list(name = src$name[i], k = r$k, beta = as.numeric(r$beta), se = r$se, zval = r$zval,
    pval = r$pval, ci_lb = r$ci.lb, ci_ub = r$ci.ub, tau2 = r$tau2)
}
umfs <- list()
umfs_ctrl <- list(glmerCtrl = list(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-10, maxfun = 1e5)))
for (i in seq_len(nrow(src))) {
  for (test in if (i <= 10) c("z", "t") else "z") {
    r <- tryCatch(suppressWarnings(rma.glmm(measure = "OR", ai = src$ai[[i]], n1i = src$n1i[[i]], ci = src$ci[[i]],
      n2i = src$n2i[[i]], model = "UM.FS", test = test, control = umfs_ctrl)), error = function(e) e)
    if (inherits(r, "error")) { umfs[[length(umfs) + 1]] <- list(name = src$name[i], test = test, error = conditionMessage(r)); next }
    umfs[[length(umfs) + 1]] <- list(name = src$name[i], test = test, k = r$k, beta = as.numeric(r$beta), se = r$se,
      zval = r$zval, pval = r$pval, ci_lb = r$ci.lb, ci_ub = r$ci.ub, tau2 = r$tau2, qe_lrt = r$QE.LRT, qe_lrt_p = r$QEp.LRT, i2 = r$I2, h2 = r$H2)
  }
}
writeLines(toJSON(list(generator = "Fixtures/compare/generate_glmm.R", metafor_version = as.character(packageVersion("metafor")),
  lme4_version = as.character(packageVersion("lme4")),
  call = "rma.glmm(measure=\"OR\", ai, n1i, ci, n2i, model=\"CM.EL\", control=list(dnchgcalc=\"dnoncenhypergeom\"))",
  datasets = out,
  um_fs_call = "rma.glmm(measure=\"OR\", ai, n1i, ci, n2i, model=\"UM.FS\", test, control=list(glmerCtrl=list(optimizer=\"bobyqa\", optCtrl=list(rhoend=1e-10, maxfun=1e5))))",
  um_fs = umfs), auto_unbox = TRUE, digits = NA, na = "string"), file.path(dir, "glmm.json"))
cat("wrote glmm.json\n")
