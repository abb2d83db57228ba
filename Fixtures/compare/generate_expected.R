#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# generate_expected.R -- reference values from R/metafor for `orrmeta compare`
# =============================================================================
#
# Purpose
#   orrmeta compares response between two arms (OR, RR, RD) with Mantel-Haenszel
#   (rma.mh), Peto (rma.peto) and inverse variance (rma with every tau^2 estimator
#   and test z, t, knha). This script fits metafor on four metadat datasets and on
#   50 random datasets and writes what metafor reports to expected.json.
#
# How to run (from the repository root):
#     Rscript Fixtures/compare/generate_expected.R
#   Output: Fixtures/compare/expected.json. Run time: about one CPU-minute.
#
# Calls (recorded per case in "call"):
#   rma.mh(measure=M, ai, n1i, ci, n2i[, add, to, drop00])
#   rma.peto(ai, n1i, ci, n2i[, add, to, drop00])
#   rma(measure=M, ai, n1i, ci, n2i, method=METHOD, test=TEST[, add, to, drop00],
#       control=list(threshold=1e-12, tol=1e-12, maxiter=10000))
#   predict(res) for the prediction interval, weights(res) for the weights,
#   escalc(measure, ai, n1i, ci, n2i[, add, to, drop00]) for the per-trial outcomes.
#   Datasets: dat.bcg, dat.collins1985a, dat.nielweise2007, dat.yusuf1985 (table 6), the
#   two comparisons of `orrmeta reproduce` on Fixtures/alk-nsclc/cohorts.csv (ALK TKI vs
#   chemotherapy; next-generation TKI vs crizotinib), and 50 random datasets.
#   The metadat datasets use metafor's defaults for add/to/drop00; random dataset i
#   uses to = c("only0","all","if0all","none")[(i-1) %% 4 + 1], add = 0.5 (0.25 when
#   i %% 8 == 5) and drop00 = (i %% 2 == 0), passed explicitly to every call.
#   Errors (e.g. an undefined MH ratio) are recorded as "error"; orrmeta must fail too.
#
# Numbers: jsonlite digits = NA (15 significant digits); NA/NaN/Inf are written as the
# strings "NA", "NaN", "Inf", "-Inf".
# Determinism: set.seed(20261202 + i) per random dataset; counts are written to the JSON.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

script_path <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grepl("^--file=", a)])
  if (length(f) == 1) normalizePath(f) else NA_character_
})
out_dir <- if (!is.na(script_path)) dirname(script_path) else file.path(getwd(), "Fixtures", "compare")

TIGHT <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
TIGHT_STR <- "control=list(threshold=1e-12, tol=1e-12, maxiter=10000)"
IV_METHODS <- c("EE", "DL", "HE", "HS", "SJ", "ML", "REML", "EB", "PM")
TESTS <- c("z", "t", "knha")
MEASURES <- c("OR", "RR", "RD")

num <- function(x) { x <- as.numeric(x); if (length(x) == 0) NA_real_ else x }

zero_args <- function(zr) {
  if (is.null(zr)) return(list(args = list(), str = ""))
  list(args = list(add = zr$add, to = zr$to, drop00 = zr$drop00),
       str = sprintf(", add=%s, to=\"%s\", drop00=%s", format(zr$add), zr$to, zr$drop00))
}

run_case <- function(d, measure, method, test, zr) {
  za <- zero_args(zr)
  base <- list(ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i)
  if (method == "MH") {
    call <- sprintf("rma.mh(measure=\"%s\", ai, n1i, ci, n2i%s)", measure, za$str)
    f <- function() do.call(rma.mh, c(list(measure = measure), base, za$args))
  } else if (method == "Peto") {
    call <- sprintf("rma.peto(ai, n1i, ci, n2i%s)", za$str)
    f <- function() do.call(rma.peto, c(base, za$args))
  } else {
    call <- sprintf("rma(measure=\"%s\", ai, n1i, ci, n2i, method=\"%s\", test=\"%s\"%s, %s)",
                    measure, method, test, za$str, TIGHT_STR)
    f <- function() do.call(rma, c(list(measure = measure), base, za$args,
                                   list(method = method, test = test, control = TIGHT)))
  }
  out <- list(measure = measure, method = method, test = test, call = call)
  res <- tryCatch(suppressWarnings(f()), error = function(e) e)
  if (inherits(res, "error")) { out$error <- conditionMessage(res); return(out) }
  pr <- suppressWarnings(predict(res))
  out$k <- res$k
  out$pooled <- list(
    estimate = num(res$beta), se = num(res$se), zval = num(res$zval), pval = num(res$pval),
    ci_lb = num(res$ci.lb), ci_ub = num(res$ci.ub),
    pi_lb = num(if (!is.null(pr$pi.lb)) pr$pi.lb else pr$ci.lb),
    pi_ub = num(if (!is.null(pr$pi.ub)) pr$pi.ub else pr$ci.ub),
    tau2 = num(res$tau2), se_tau2 = num(if (is.null(res$se.tau2)) NA else res$se.tau2),
    QE = num(res$QE), QEp = num(res$QEp), I2 = num(res$I2), H2 = num(res$H2))
  if (method == "MH" && measure == "OR") {
    out$mh <- list(CO = num(res$CO), COp = num(res$COp), MH = num(res$MH), MHp = num(res$MHp),
                   BD = num(res$BD), BDp = num(res$BDp), TA = num(res$TA), TAp = num(res$TAp),
                   k_pos = num(res$k.pos))
  }
  if (method %in% c("MH", "Peto", "DL", "REML")) {
    w <- suppressWarnings(weights(res))
    out$weights <- num(w)
  }
  out
}

escalc_block <- function(d, zr) {
  za <- zero_args(zr)
  base <- list(ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i)
  out <- list()
  for (m in c(MEASURES, "PETO")) {
    # rma.mh/rma.peto default to drop00 = TRUE, escalc/rma to FALSE: record both.
    for (dz in c(FALSE, TRUE)) {
      a <- za$args
      if (is.null(zr)) a$drop00 <- dz else if (a$drop00 != dz) next
      e <- suppressWarnings(do.call(escalc, c(list(measure = m), base, a)))
      out[[paste0(m, if (dz) "_drop00" else "")]] <- list(yi = num(e$yi), vi = num(e$vi))
    }
  }
  out
}

dataset <- function(name, source, d, zr = NULL, peto_only = FALSE) {
  cases <- list()
  if (!peto_only) {
    for (m in MEASURES) {
      cases[[length(cases) + 1]] <- run_case(d, m, "MH", "z", zr)
      for (meth in IV_METHODS) for (t in TESTS) cases[[length(cases) + 1]] <- run_case(d, m, meth, t, zr)
    }
  }
  cases[[length(cases) + 1]] <- run_case(d, "OR", "Peto", "z", zr)
  list(name = name, source = source, labels = as.character(d$label),
       ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i,
       zero_cells = if (is.null(zr)) list(add = 0.5, to = "only0", drop00 = "method default") else zr,
       escalc = escalc_block(d, zr), cases = cases)
}

datasets <- list()

b <- dat.bcg
datasets[[1]] <- dataset("bcg", "metadat::dat.bcg (ai = tpos, n1i = tpos + tneg, ci = cpos, n2i = cpos + cneg)",
  data.frame(label = paste(b$author, b$year), ai = b$tpos, n1i = b$tpos + b$tneg, ci = b$cpos, n2i = b$cpos + b$cneg))

cl <- dat.collins1985a
cl <- cl[!is.na(cl$b.xti) & !is.na(cl$b.xci), ]
datasets[[2]] <- dataset("collins1985a", "metadat::dat.collins1985a, total bleeding (ai = b.xti, n1i = nti, ci = b.xci, n2i = nci), rows with NA removed",
  data.frame(label = cl$trial, ai = cl$b.xti, n1i = cl$nti, ci = cl$b.xci, n2i = cl$nci))

nw <- dat.nielweise2007
datasets[[3]] <- dataset("nielweise2007", "metadat::dat.nielweise2007",
  data.frame(label = paste(nw$author, nw$year), ai = nw$ai, n1i = nw$n1i, ci = nw$ci, n2i = nw$n2i))

y <- dat.yusuf1985
y <- y[y$table == "6" & !is.na(y$ai), ]
datasets[[4]] <- dataset("yusuf1985_table6", "metadat::dat.yusuf1985, table 6, rows with NA removed",
  data.frame(label = y$trial, ai = y$ai, n1i = y$n1i, ci = y$ci, n2i = y$n2i))

# The sourced ALK table (one row per arm): pair the arms of each trial.
alk <- read.csv(file.path(out_dir, "..", "alk-nsclc", "cohorts.csv"), stringsAsFactors = FALSE)
pair <- function(treat, control) {
  rows <- list()
  for (tr in unique(alk$trial)) {
    t <- alk[alk$trial == tr & alk$drug %in% treat, ]
    c <- alk[alk$trial == tr & alk$drug %in% control, ]
    if (nrow(t) == 1 && nrow(c) == 1)
      rows[[length(rows) + 1]] <- data.frame(label = tr, ai = t$responders, n1i = t$n, ci = c$responders, n2i = c$n)
  }
  do.call(rbind, rows)
}
chemo <- c("pemetrexed or docetaxel", "pemetrexed + cisplatin/carboplatin")
datasets[[5]] <- dataset("alk_tki_vs_chemo",
  "Fixtures/alk-nsclc/cohorts.csv: trials with one ALK TKI arm (alectinib, brigatinib, ceritinib, crizotinib, lorlatinib) and one chemotherapy arm",
  pair(c("alectinib", "brigatinib", "ceritinib", "crizotinib", "lorlatinib"), chemo))
datasets[[6]] <- dataset("alk_nextgen_vs_crizotinib",
  "Fixtures/alk-nsclc/cohorts.csv: trials with one next-generation TKI arm (alectinib, brigatinib, lorlatinib) and one crizotinib arm",
  pair(c("alectinib", "brigatinib", "lorlatinib"), "crizotinib"))

rules <- c("only0", "all", "if0all", "none")
for (i in 1:50) {
  set.seed(20261202 + i)
  k <- sample(2:14, 1)
  rare <- i %% 3 == 0
  n1i <- sample(if (rare) 8:60 else 15:250, k, replace = TRUE)
  n2i <- sample(if (rare) 8:60 else 15:250, k, replace = TRUE)
  p2 <- if (rare) runif(k, 0.005, 0.08) else runif(k, 0.05, 0.7)
  lor <- rnorm(1, -0.2, 0.4) + rnorm(k, 0, runif(1, 0, 0.6))
  p1 <- plogis(qlogis(p2) + lor)
  ai <- rbinom(k, n1i, p1); ci <- rbinom(k, n2i, p2)
  if (i %% 5 == 0) { ai[1] <- 0; ci[1] <- 0 }              # a double-zero trial
  if (i %% 7 == 0) { ai[k] <- n1i[k]; ci[k] <- n2i[k] - 1 } # a full arm
  zr <- list(add = if (i %% 8 == 5) 0.25 else 0.5, to = rules[(i - 1) %% 4 + 1], drop00 = (i %% 2 == 0))
  d <- data.frame(label = paste0("T", seq_len(k)), ai = ai, n1i = n1i, ci = ci, n2i = n2i)
  datasets[[6 + i]] <- dataset(sprintf("random%02d", i), sprintf("simulated, set.seed(%d)", 20261202 + i), d, zr)
}

out <- list(
  generator = "Fixtures/compare/generate_expected.R",
  R_version = R.version.string,
  metafor_version = as.character(packageVersion("metafor")),
  metadat_version = as.character(packageVersion("metadat")),
  jsonlite_version = as.character(packageVersion("jsonlite")),
  control = TIGHT_STR,
  datasets = datasets)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "string", pretty = FALSE),
           file.path(out_dir, "expected.json"))
cat("wrote", file.path(out_dir, "expected.json"), "\n")
