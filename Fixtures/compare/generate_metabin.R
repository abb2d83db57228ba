#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# generate_metabin.R -- R meta's metabin() for `orrmeta compare --profile meta`
#
#   Rscript Fixtures/compare/generate_metabin.R   (from the repository root; about a minute)
#
# Writes Fixtures/compare/metabin.json (R, meta, metafor, metadat, jsonlite versions and each
# call). meta's settings are reset first (settings.meta("reset")), so every argument not named
# below is meta 8.2-1's default: incr = 0.5, method.incr = "only0", allstudies = FALSE,
# MH.exact = FALSE, RR.Cochrane = FALSE, Q.Cochrane = TRUE (used by meta for MH with DL only),
# method.I2 = "Q", method.predict = "V", method.tau.ci = "J" for DL and "QP" otherwise.
#
# Datasets: dat.bcg, dat.collins1985a (total bleeding), dat.nielweise2007, dat.yusuf1985
# (table 6), and 60 random datasets, each with at least one zero cell (set.seed(20261218 + i);
# k from 2 to 14; rare events in two of three; double-zero trials, trials with only responders
# in one arm and in both arms inserted on a schedule; the counts are written to the JSON).
#
# Cases per dataset (every combination meta allows):
#   sm in OR, RR, RD x method in MH, Inverse (and Peto for OR) x method.tau in REML, DL
#   x method.random.ci in classic, HK;
#   plus, for OR/MH/REML/classic: method.incr = "all", method.incr = "if0all",
#   allstudies = TRUE, incr = 0.25; for RR/MH/REML/classic: allstudies = TRUE.
# Each case is run twice: with meta's default control (compared with `--profile meta`) and
# with tight control passed through metabin's `control` to metafor's rma.uni
# (list(threshold = 1e-12, tol = 1e-12, maxiter = 10000); compared with
# `--profile meta --convergence exact`). meta's confint() of tau^2 keeps uniroot's default
# tolerance whatever `control` says, so the tau^2 CI is compared for the default run only.
#
# Recorded per run: k, k.all, per-trial TE, seTE, w.common, w.random; TE/seTE/lower/upper/
# statistic/pval of the common and the random-effects model; the prediction interval; tau2,
# se.tau2, lower/upper.tau2; Q, df.Q, pval.Q; H, I2 with their CIs. Non-finite numbers are
# written as null. A case meta refuses is left out (none at the time of writing).
suppressPackageStartupMessages({
  library(meta)
  library(metadat)
  library(jsonlite)
})
settings.meta("reset")
script_path <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grepl("^--file=", a)])
  if (length(f) == 1) normalizePath(f) else NA_character_
})
dir <- if (!is.na(script_path)) dirname(script_path) else file.path(getwd(), "Fixtures", "compare")
TIGHT <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)

num <- function(x) {
  if (is.null(x) || length(x) == 0) return(NULL)
  x <- as.numeric(x)
  lapply(x, function(v) if (is.finite(v)) v else NULL)
}
scalar <- function(x) {
  if (is.null(x) || length(x) == 0) return(NULL)
  v <- as.numeric(x[1])
  if (is.finite(v)) v else NULL
}

datasets <- list()
add_dataset <- function(name, source, d) {
  datasets[[length(datasets) + 1]] <<- list(name = name, source = source, label = d$label, ai = d$ai,
                                            n1i = d$n1i, ci = d$ci, n2i = d$n2i)
}
b <- dat.bcg
add_dataset("bcg", "metadat::dat.bcg (ai = tpos, n1i = tpos + tneg, ci = cpos, n2i = cpos + cneg)",
  data.frame(label = paste(b$author, b$year), ai = b$tpos, n1i = b$tpos + b$tneg, ci = b$cpos, n2i = b$cpos + b$cneg))
cl <- dat.collins1985a
cl <- cl[!is.na(cl$b.xti) & !is.na(cl$b.xci), ]
add_dataset("collins1985a", "metadat::dat.collins1985a, total bleeding (ai = b.xti, n1i = nti, ci = b.xci, n2i = nci), rows with NA removed",
  data.frame(label = cl$trial, ai = cl$b.xti, n1i = cl$nti, ci = cl$b.xci, n2i = cl$nci))
nw <- dat.nielweise2007
add_dataset("nielweise2007", "metadat::dat.nielweise2007",
  data.frame(label = paste(nw$author, nw$year), ai = nw$ai, n1i = nw$n1i, ci = nw$ci, n2i = nw$n2i))
y <- dat.yusuf1985
y <- y[y$table == "6" & !is.na(y$ai), ]
add_dataset("yusuf1985_table6", "metadat::dat.yusuf1985, table 6, rows with NA removed",
  data.frame(label = y$trial, ai = y$ai, n1i = y$n1i, ci = y$ci, n2i = y$n2i))

for (i in 1:60) {
  set.seed(20261218 + i)
  repeat {
    k <- sample(2:14, 1)
    rare <- i %% 3 != 0
    n1i <- sample(if (rare) 6:60 else 15:250, k, replace = TRUE)
    n2i <- sample(if (rare) 6:60 else 15:250, k, replace = TRUE)
    p2 <- if (rare) runif(k, 0.005, 0.1) else runif(k, 0.05, 0.95)
    lor <- rnorm(1, -0.2, 0.5) + rnorm(k, 0, runif(1, 0, 0.7))
    p1 <- plogis(qlogis(p2) + lor)
    ai <- rbinom(k, n1i, p1); ci <- rbinom(k, n2i, p2)
    if (i %% 4 == 0) { ai[1] <- 0; ci[1] <- 0 }                      # a double-zero trial
    if (i %% 7 == 0) { ai[k] <- n1i[k]; ci[k] <- n2i[k] - 1 }        # only responders in one arm
    if (i %% 11 == 0 && k > 2) { ai[2] <- n1i[2]; ci[2] <- n2i[2] }  # only responders in both arms
    zero <- ai == 0 | ci == 0 | ai == n1i | ci == n2i
    if (any(zero)) break
  }
  add_dataset(sprintf("random%02d", i), sprintf("simulated, set.seed(%d)", 20261218 + i),
    data.frame(label = paste0("T", seq_len(k)), ai = ai, n1i = n1i, ci = ci, n2i = n2i))
}

cases <- list()
for (sm in c("OR", "RR", "RD")) for (method in c("MH", "Inverse", if (sm == "OR") "Peto"))
  for (tau in c("REML", "DL")) for (rci in c("classic", "HK"))
    cases[[length(cases) + 1]] <- list(sm = sm, method = method, method.tau = tau, method.random.ci = rci)
extra <- list(list(method.incr = "all"), list(method.incr = "if0all"), list(allstudies = TRUE), list(incr = 0.25))
for (e in extra) cases[[length(cases) + 1]] <- c(list(sm = "OR", method = "MH", method.tau = "REML", method.random.ci = "classic"), e)
cases[[length(cases) + 1]] <- list(sm = "RR", method = "MH", method.tau = "REML", method.random.ci = "classic", allstudies = TRUE)

deparse_args <- function(a) paste0(vapply(names(a), function(n) {
  v <- a[[n]]
  paste0(n, " = ", if (is.character(v)) paste0("\"", v, "\"") else if (is.logical(v)) as.character(v) else format(v))
}, ""), collapse = ", ")

record <- function(m) {
  list(
    k = m$k, k_all = m$k.all,
    TE = num(m$TE), seTE = num(m$seTE), w_common = num(m$w.common), w_random = num(m$w.random),
    TE_common = scalar(m$TE.common), seTE_common = scalar(m$seTE.common),
    lower_common = scalar(m$lower.common), upper_common = scalar(m$upper.common),
    statistic_common = scalar(m$statistic.common), pval_common = scalar(m$pval.common),
    TE_random = scalar(m$TE.random), seTE_random = scalar(m$seTE.random),
    lower_random = scalar(m$lower.random), upper_random = scalar(m$upper.random),
    statistic_random = scalar(m$statistic.random), pval_random = scalar(m$pval.random),
    lower_predict = scalar(m$lower.predict), upper_predict = scalar(m$upper.predict),
    tau2 = scalar(m$tau2), se_tau2 = scalar(m$se.tau2), lower_tau2 = scalar(m$lower.tau2),
    upper_tau2 = scalar(m$upper.tau2), method_tau_ci = m$method.tau.ci,
    Q = scalar(m$Q), df_Q = scalar(m$df.Q), pval_Q = scalar(m$pval.Q),
    H = scalar(m$H), lower_H = scalar(m$lower.H), upper_H = scalar(m$upper.H),
    I2 = scalar(m$I2), lower_I2 = scalar(m$lower.I2), upper_I2 = scalar(m$upper.I2))
}

out <- list()
for (d in datasets) {
  runs <- list()
  for (cs in cases) {
    for (ctl in c("default", "tight")) {
      args <- c(list(event.e = d$ai, n.e = d$n1i, event.c = d$ci, n.c = d$n2i), cs)
      if (ctl == "tight") args$control <- TIGHT
      m <- tryCatch(suppressWarnings(do.call(metabin, args)), error = function(e) e)
      call <- paste0("metabin(ai, n1i, ci, n2i, ", deparse_args(cs),
                     if (ctl == "tight") ", control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)" else "", ")")
      if (inherits(m, "error")) {
        runs[[length(runs) + 1]] <- list(call = call, control = ctl, args = cs, error = conditionMessage(m))
        next
      }
      runs[[length(runs) + 1]] <- c(list(call = call, control = ctl, args = cs), record(m))
    }
  }
  out[[length(out) + 1]] <- c(d, list(runs = runs))
}

res <- list(
  generator = "Fixtures/compare/generate_metabin.R", R_version = R.version.string,
  meta_version = as.character(packageVersion("meta")), metafor_version = as.character(packageVersion("metafor")),
  metadat_version = as.character(packageVersion("metadat")), jsonlite_version = as.character(packageVersion("jsonlite")),
  tight_control = TIGHT, datasets = out)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, null = "null", pretty = FALSE), file.path(dir, "metabin.json"))
