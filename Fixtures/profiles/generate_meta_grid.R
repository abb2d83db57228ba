#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reference values for `--profile meta`: R meta's metaprop() over a grid of measures, pooling
# methods, tau^2 estimators and random-effects CIs, each with and without subgroups, under
# meta's default control (metafor's stopping rules; compared with `--profile meta`) and under
# tight control (compared with `--profile meta --convergence exact`).
#
# Run from the repository root (MC_CORES processes, default 4; same output for any number):
#   Rscript Fixtures/profiles/generate_meta_grid.R
# Writes Fixtures/profiles/meta-grid.json (R, meta and metafor versions recorded).
#
# Cell families (sm x method), 128 random datasets each:
#   PLOGIT/Inverse, PFT/Inverse, PAS/Inverse, PLN/Inverse, PRAW/Inverse: dataset j of the family
#     uses method.tau = TAUS[(j - 1) %% 8 + 1] and method.random.ci = c("classic", "HK")[
#     ((j - 1) %/% 8) %% 2 + 1], so every (method.tau, CI) pair gets 8 datasets per measure;
#   PLOGIT/GLMM (method.tau "ML", the only one meta allows for GLMMs): classic and HK alternate.
# Dataset (family f = 1..6, j = 1..N), set.seed(20261600 + 1000 * f + j):
#   k <- sample(3:25, 1); n <- sample(5:300, k, TRUE); mu <- runif(1, -4, 1.5)
#   tau <- sample(c(0, 0.3, 0.8), 1); x <- rbinom(k, n, plogis(rnorm(k, mu, tau)))
#   G <- sample(2:3, 1); g <- LETTERS[c(1:G, sample(1:G, k - G, TRUE))]  (every level present)
# Each dataset is run twice per control: without subgroups and with `subgroup = g`; the
# overall results of the two runs are checked to be identical (stopifnot) and recorded once,
# the subgroup results and the tests for subgroup differences from the second run.
#   metaprop(event = x, n = n, sm = SM, method = METHOD, method.tau = TAU,
#            method.random.ci = CI, prediction = TRUE [, subgroup = g] [, control = CONTROL])
# CONTROL: meta's default (no control argument) and tight
#   list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
# GLMM: meta's default (lme4's default bobyqa stopping rule, which leaves the logit estimate
# ~1e-5 from the optimum) and tight, passed by meta to metafor's rma.glmm and on to glmer:
#   list(glmerCtrl = list(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))
# Every other argument at meta's default: incr = 0.5, method.incr = "only0", method.I2 = "Q",
# method.predict = "V", method.tau.ci = "J" for DL and "QP" otherwise, level 0.95.
# Proportions are meta's back-transformation (meta:::backtransf) with the harmonic mean of n
# (PFT), as print.meta does.
suppressPackageStartupMessages({
  library(meta)
  library(jsonlite)
})
TAUS <- c("REML", "PM", "DL", "ML", "HS", "SJ", "HE", "EB")
CIS <- c("classic", "HK")
FAMILIES <- list(
  list(sm = "PLOGIT", method = "Inverse", n = 128),
  list(sm = "PFT", method = "Inverse", n = 128),
  list(sm = "PAS", method = "Inverse", n = 128),
  list(sm = "PLN", method = "Inverse", n = 128),
  list(sm = "PRAW", method = "Inverse", n = 128),
  list(sm = "PLOGIT", method = "GLMM", n = 128))
ORRMETA <- c(PLOGIT = "PLO", PLN = "PLN", PRAW = "PR", PAS = "PAS", PFT = "PFT")
TIGHT <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
GLMM_TIGHT <- list(glmerCtrl = list(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))

num <- function(x) {
  if (is.null(x) || length(x) == 0) return("null")
  x <- as.numeric(x[1])
  if (!is.finite(x)) return("null")
  for (d in 15:17) { s <- sprintf(paste0("%.", d, "g"), x); if (as.numeric(s) == x) return(s) }
  sprintf("%.17g", x)
}
obj <- function(...) {
  v <- list(...)
  paste0("{", paste0('"', names(v), '":', unlist(v), collapse = ","), "}")
}
bt <- function(x, sm, n) num(meta:::backtransf(as.numeric(x[1]), sm, 1 / mean(1 / n)))

overall <- function(m, sm, n) {
  glmm <- m$method == "GLMM"
  obj(
    k = m$k, q = num(m$Q[1]), df_q = num(m$df.Q[1]), q_p = num(m$pval.Q[1]),
    q_lrt = if (glmm) num(m$Q[2]) else "null", q_lrt_p = if (glmm) num(m$pval.Q[2]) else "null",
    h = num(m$H), h_lower = num(m$lower.H), h_upper = num(m$upper.H),
    i2 = num(m$I2), i2_lower = num(m$lower.I2), i2_upper = num(m$upper.I2),
    tau2 = num(m$tau2), tau2_lower = num(m$lower.tau2), tau2_upper = num(m$upper.tau2),
    common = obj(
      estimate = num(m$TE.common), se = num(m$seTE.common), ci_lower = num(m$lower.common),
      ci_upper = num(m$upper.common),
      proportion = bt(m$TE.common, sm, n), proportion_ci_lower = bt(m$lower.common, sm, n),
      proportion_ci_upper = bt(m$upper.common, sm, n)),
    random = obj(
      estimate = num(m$TE.random), se = num(m$seTE.random), ci_lower = num(m$lower.random),
      ci_upper = num(m$upper.random),
      pi_lower = num(m$lower.predict), pi_upper = num(m$upper.predict),
      proportion = bt(m$TE.random, sm, n), proportion_ci_lower = bt(m$lower.random, sm, n),
      proportion_ci_upper = bt(m$upper.random, sm, n), proportion_pi_lower = bt(m$lower.predict, sm, n),
      proportion_pi_upper = bt(m$upper.predict, sm, n)))
}

subgroups <- function(m) {
  levs <- names(m$k.w)
  rows <- vapply(seq_along(levs), function(i) obj(
    name = paste0('"', levs[i], '"'), k = m$k.w[i], q = num(m$Q.w[i]), tau2 = num(m$tau2.w[i]),
    i2 = num(m$I2.w[i]), i2_lower = num(m$lower.I2.w[i]), i2_upper = num(m$upper.I2.w[i]),
    common_estimate = num(m$TE.common.w[i]), common_se = num(m$seTE.common.w[i]),
    random_estimate = num(m$TE.random.w[i]), random_se = num(m$seTE.random.w[i]),
    random_ci_lower = num(m$lower.random.w[i]), random_ci_upper = num(m$upper.random.w[i])), "")
  paste0(
    '"subgroups":[', paste(rows, collapse = ","), '],',
    '"q_between_common":', num(m$Q.b.common), ',"p_between_common":', num(m$pval.Q.b.common),
    ',"q_between_random":', num(m$Q.b.random), ',"p_between_random":', num(m$pval.Q.b.random),
    ',"df_between":', num(m$df.Q.b.random))
}

same <- function(a, b) {
  fields <- c("TE.common", "seTE.common", "TE.random", "seTE.random", "lower.random",
              "upper.random", "tau2", "lower.tau2", "upper.tau2", "Q", "lower.predict",
              "upper.predict", "I2", "lower.I2", "upper.I2")
  for (f in fields) stopifnot(identical(unname(a[[f]]), unname(b[[f]])))
}

one <- function(f, j) {
  fam <- FAMILIES[[f]]
  warned <- 0L
  set.seed(20261600 + 1000 * f + j)
  k <- sample(3:25, 1); n <- sample(5:300, k, TRUE); mu <- runif(1, -4, 1.5)
  tau <- sample(c(0, 0.3, 0.8), 1); x <- rbinom(k, n, plogis(rnorm(k, mu, tau)))
  G <- sample(2:3, 1); g <- LETTERS[c(1:G, sample(1:G, k - G, TRUE))]
  glmm <- fam$method == "GLMM"
  tau.m <- if (glmm) "ML" else TAUS[(j - 1) %% 8 + 1]
  ci <- if (glmm) CIS[(j - 1) %% 2 + 1] else CIS[((j - 1) %/% 8) %% 2 + 1]
  runs <- character(0)
  for (control in c("default", "tight")) {
    args <- list(event = x, n = n, sm = fam$sm, method = fam$method, method.tau = tau.m,
                 method.random.ci = ci, prediction = TRUE)
    if (control == "tight") args$control <- if (glmm) GLMM_TIGHT else TIGHT
    m0 <- withCallingHandlers(do.call(metaprop, args),
      warning = function(w) { warned <<- warned + 1L; invokeRestart("muffleWarning") })
    m1 <- withCallingHandlers(do.call(metaprop, c(args, list(subgroup = g))),
      warning = function(w) { warned <<- warned + 1L; invokeRestart("muffleWarning") })
    same(m0, m1)
    runs <- c(runs, paste0('"', control, '":{"overall":', overall(m0, fam$sm, n), ",", subgroups(m1), "}"))
  }
  list(warned = warned, json = paste0(
    '{"family":"', fam$sm, "/", fam$method, '","id":', j, ',"sm":"', fam$sm, '","measure":"',
    ORRMETA[[fam$sm]], '","method":"', fam$method, '","method_tau":"', tau.m,
    '","method_random_ci":"', ci, '","events":[', paste(x, collapse = ","), '],"n":[',
    paste(n, collapse = ","), '],"groups":[', paste0('"', g, '"', collapse = ","), '],',
    paste(runs, collapse = ","), "}"))
}
# Each dataset sets its own seed, so the output does not depend on the number of processes.
jobs <- do.call(rbind, lapply(seq_along(FAMILIES), function(f) cbind(f, seq_len(FAMILIES[[f]]$n))))
res <- parallel::mclapply(seq_len(nrow(jobs)), function(i) one(jobs[i, 1], jobs[i, 2]),
                          mc.cores = as.integer(Sys.getenv("MC_CORES", "4")))
failed <- vapply(res, function(r) inherits(r, "try-error"), TRUE)
if (any(failed)) stop(res[[which(failed)[1]]])
out <- vapply(res, `[[`, "", "json")
warned <- sum(vapply(res, `[[`, 0L, "warned"))
call <- paste0(
  "metaprop(event = x, n = n, sm = SM, method = METHOD, method.tau = TAU, method.random.ci = CI, ",
  "prediction = TRUE[, subgroup = g][, control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)])")
writeLines(paste0(
  '{"description":"R meta metaprop over sm x method x method.tau x method.random.ci, with and without subgroups, under meta default control and tight control",\n',
  '"generator":"Fixtures/profiles/generate_meta_grid.R",\n',
  '"call":', toJSON(call, auto_unbox = TRUE), ',\n',
  '"tight_control":{"threshold":1e-12,"tol":1e-12,"maxiter":10000},\n',
  '"glmm_tight_control":{"glmerCtrl":{"optimizer":"bobyqa","optCtrl":{"rhoend":1e-12,"maxfun":100000}}},\n',
  '"R_version":', toJSON(R.version.string, auto_unbox = TRUE), ',"meta_version":"', packageVersion("meta"),
  '","metafor_version":"', packageVersion("metafor"), '","lme4_version":"', packageVersion("lme4"),
  '","warnings_muffled":', warned, ',\n"datasets":[\n', paste(out, collapse = ",\n"), "\n]}"),
  "Fixtures/profiles/meta-grid.json")
