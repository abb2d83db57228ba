#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# R meta's printed output of metaprop on the ALK fixture, for the line-by-line comparison of
# `orrmeta pool --profile meta` text output (Tests/OrrmetaCLITests/MetaPrintLayoutTests.swift)
# and the three-level conventions of `--cluster` (metaprop(..., cluster =)).
#
# Run from the repository root:
#   Rscript Fixtures/profiles/generate_meta_print.R
# Writes Fixtures/profiles/meta-print.json: for each case the metaprop call, the orrmeta
# arguments that state the same settings, the lines of print(summary(m)) (the per-study table,
# then print.meta) and, for the three-level cases, the fitted values at full precision; for the
# subgroup cases each subgroup's common-effect model and the Q between and within subgroups;
# for the tau.common cases the residual heterogeneity (tau2.resid, Q.resid, I2.resid, H.resid)
# and the subgroups' random-effects estimates with the common tau^2.
# R, meta and metafor versions are recorded. options(width = 200) so that prmatrix never wraps
# a table; meta's default control (metafor's stopping rules), meta's defaults otherwise.
suppressPackageStartupMessages({
  library(meta)
  library(jsonlite)
})
options(width = 200)
d <- read.csv("Fixtures/alk-nsclc/cohorts.csv", stringsAsFactors = FALSE)
base <- c("--profile", "meta")
# One case: its id, the arguments metaprop gets after the data, and orrmeta's.
case <- function(id, extra, args = character(0))
  list(id = id, call = paste0("metaprop(responders, n, studlab = study_id, data = d", extra, ")"), args = c(base, args))
cases <- list(
  case("glmm", ""),
  case("glmm_by_line", ", subgroup = line", c("--by", "line")),
  case("inverse", ", method = \"Inverse\"", c("--method", "REML")),
  case("inverse_by_line", ", method = \"Inverse\", subgroup = line", c("--method", "REML", "--by", "line")),
  case("inverse_lorlatinib_by_line", "[d$generation == \"3\", ], method = \"Inverse\", subgroup = line",
       c("--method", "REML", "--where", "generation=3", "--by", "line")),
  case("inverse_hk", ", method = \"Inverse\", method.random.ci = \"HK\"", c("--method", "REML", "--test", "knha")),
  case("glmm_hk", ", method.random.ci = \"HK\"", c("--test", "t")),
  case("pft_dl", ", sm = \"PFT\", method.tau = \"DL\"", c("--measure", "PFT", "--method", "DL")),
  case("praw_pm", ", sm = \"PRAW\", method.tau = \"PM\"", c("--measure", "PR", "--method", "PM")),
  case("pas", ", sm = \"PAS\"", c("--measure", "PAS")),
  case("pln_by_line", ", sm = \"PLN\", subgroup = line", c("--measure", "PLN", "--by", "line")),
  case("inverse_by_generation", ", method = \"Inverse\", subgroup = generation", c("--method", "REML", "--by", "generation")),
  case("inverse_by_line_tau_common", ", method = \"Inverse\", subgroup = line, tau.common = TRUE",
       c("--method", "REML", "--by", "line", "--tau-common")),
  case("pft_dl_by_generation_tau_common", ", sm = \"PFT\", method.tau = \"DL\", subgroup = generation, tau.common = TRUE",
       c("--measure", "PFT", "--method", "DL", "--by", "generation", "--tau-common")),
  # orrmeta's one --level is meta's four levels together (meta's defaults are separate options).
  case("inverse_by_line_level90",
       ", method = \"Inverse\", subgroup = line, level = 0.9, level.ma = 0.9, level.predict = 0.9, level.hetstat = 0.9",
       c("--method", "REML", "--by", "line", "--level", "90")),
  case("cluster_trial", ", cluster = trial", c("--cluster", "trial")),
  case("cluster_trial_reml", ", cluster = trial, method.tau = \"REML\"", c("--cluster", "trial", "--method", "REML"))
)
full <- function(m) {
  v <- list(k = m$k, k.study = m$k.study, TE.common = m$TE.common, seTE.common = m$seTE.common,
            lower.common = m$lower.common, upper.common = m$upper.common,
            TE.random = m$TE.random, seTE.random = m$seTE.random,
            lower.random = m$lower.random, upper.random = m$upper.random,
            lower.predict = m$lower.predict, upper.predict = m$upper.predict,
            tau2 = m$tau2, lower.tau2 = m$lower.tau2, upper.tau2 = m$upper.tau2, tau = m$tau,
            Q = m$Q, df.Q = m$df.Q, pval.Q = m$pval.Q, I2 = m$I2, lower.I2 = m$lower.I2, upper.I2 = m$upper.I2,
            H = m$H, lower.H = m$lower.H, upper.H = m$upper.H,
            method.tau = m$method.tau, common = m$common, three.level = m$three.level,
            n.harmonic.mean = 1 / mean(1 / m$n))
  lapply(v, function(x) if (is.null(x)) NA else x)
}
res <- lapply(cases, function(cs) {
  m <- eval(parse(text = cs$call))
  lines <- capture.output(print(summary(m)))
  r <- list(id = cs$id, call = cs$call, orrmeta_args = cs$args, output = lines)
  if (grepl("cluster", cs$call)) r$values <- full(m)
  if (grepl("subgroup", cs$call))
    r$subgroup_values <- list(
      levels = as.character(m$subgroup.levels), TE.common.w = unname(m$TE.common.w),
      seTE.common.w = unname(m$seTE.common.w), lower.common.w = unname(m$lower.common.w),
      upper.common.w = unname(m$upper.common.w), Q.b.common = m$Q.b.common,
      Q.w.common = if (is.null(m$Q.w.common)) NA else m$Q.w.common, df.Q.w = m$df.Q.w,
      pval.Q.w.common = if (is.null(m$pval.Q.w.common)) NA else m$pval.Q.w.common)
  if (grepl("tau.common", cs$call))
    r$residual_values <- list(
      tau2.resid = m$tau2.resid, Q.resid = m$Q.resid, df.Q.resid = m$df.Q.resid, pval.Q.resid = m$pval.Q.resid,
      I2.resid = m$I2.resid, lower.I2.resid = m$lower.I2.resid, upper.I2.resid = m$upper.I2.resid,
      H.resid = m$H.resid, lower.H.resid = m$lower.H.resid, upper.H.resid = m$upper.H.resid,
      TE.random.w = unname(m$TE.random.w), seTE.random.w = unname(m$seTE.random.w))
  r
})
# metareg on a three-level metaprop (R/metareg.R: rma.mv with meta's method.tau, test "z",
# random = ~ 1 | cluster / estimate) with meta's defaults and with a tight optimizer (rma.mv's
# nlminb stops before the optimum), against `orrmeta regress --cluster --profile meta`.
mr.call <- "metareg(metaprop(responders, n, studlab = study_id, data = d, cluster = trial), ~ line)"
mr <- eval(parse(text = mr.call))
mr.tight <- metareg(metaprop(responders, n, studlab = study_id, data = d, cluster = trial), ~ line,
                    control = list(optimizer = "optim", optmethod = "BFGS", reltol = 1e-14, maxit = 10000))
metareg.cluster <- list(
  call = mr.call, tight_control = "control = list(optimizer = \"optim\", optmethod = \"BFGS\", reltol = 1e-14, maxit = 10000)",
  orrmeta_args = c(base, "--mods", "line", "--cluster", "trial"),
  method = mr$method, test = mr$test, beta = unname(mr$beta[, 1]), se = mr$se, ci.lb = mr$ci.lb, ci.ub = mr$ci.ub,
  QM = mr$QM, QMp = mr$QMp, QE = mr$QE, sigma2 = mr$sigma2,
  tight = list(beta = unname(mr.tight$beta[, 1]), se = mr.tight$se, ci.lb = mr.tight$ci.lb, ci.ub = mr.tight$ci.ub,
               QM = mr.tight$QM, QMp = mr.tight$QMp, sigma2 = mr.tight$sigma2))
out <- list(
  description = "R meta print(summary(metaprop(...))) on Fixtures/alk-nsclc/cohorts.csv: the per-study table and print.meta's layout, with orrmeta's equivalent arguments",
  generator = "Fixtures/profiles/generate_meta_print.R",
  R_version = R.version.string, meta_version = as.character(packageVersion("meta")),
  metafor_version = as.character(packageVersion("metafor")),
  lme4_version = as.character(packageVersion("lme4")),
  options = "options(width = 200); meta's defaults (settings.meta() untouched)",
  cases = res,
  metareg_cluster = metareg.cluster)
writeLines(toJSON(out, auto_unbox = TRUE, pretty = TRUE, digits = NA, na = "null"),
           "Fixtures/profiles/meta-print.json")
