#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reference values for the `common` block and heterogeneity.h / h_ci_lower / h_ci_upper that
# every `orrmeta pool` output carries: R meta's common-effect model and its H with the
# test-based CI (method.I2 = "Q", meta's calcH).
#
# Run from the repository root:
#   Rscript Fixtures/profiles/generate_meta_common_h.R
# Writes Fixtures/profiles/meta-common-h.json (R, meta and metafor versions recorded).
#
# Datasets: 60 random sets, set.seed(20261700 + i);
#   k <- sample(2:25, 1); n <- sample(5:300, k, TRUE); mu <- runif(1, -3.5, 1);
#   tau <- sample(c(0, 0.3, 0.8), 1); x <- rbinom(k, n, plogis(rnorm(k, mu, tau)))
# Each with sm in PLOGIT, PLN, PRAW, PAS, PFT (cycled: dataset i uses SMS[(i - 1) %% 5 + 1]):
#   m <- metaprop(event = x, n = n, sm = SM, method = "Inverse", method.tau = "REML")
# recording m$Q, m$df.Q, m$H, m$lower.H, m$upper.H, m$TE.common, m$seTE.common,
# m$lower.common, m$upper.common (model scale), and for the `meta` profile m$I2, m$lower.I2,
# m$upper.I2 (test-based, method.I2 = "Q") and the random-effects m$TE.random, m$seTE.random,
# m$tau2, m$lower.predict, m$upper.predict (method.predict = "V": t(k - 1)) under meta's
# default control (metafor's stopping rules). meta's defaults otherwise (incr = 0.5 to
# zero cells only, level 0.95).
suppressPackageStartupMessages({
  library(meta)
  library(jsonlite)
})
SMS <- c("PLOGIT", "PLN", "PRAW", "PAS", "PFT")
ORRMETA <- c(PLOGIT = "PLO", PLN = "PLN", PRAW = "PR", PAS = "PAS", PFT = "PFT")
fmt <- function(x) {
  if (is.null(x) || length(x) == 0 || !is.finite(x)) return("null")
  for (d in 15:17) { s <- sprintf(paste0("%.", d, "g"), x); if (as.numeric(s) == x) return(s) }
  sprintf("%.17g", x)
}
out <- character(0)
for (i in 1:60) {
  set.seed(20261700 + i)
  k <- sample(2:25, 1); n <- sample(5:300, k, TRUE); mu <- runif(1, -3.5, 1)
  tau <- sample(c(0, 0.3, 0.8), 1); x <- rbinom(k, n, plogis(rnorm(k, mu, tau)))
  sm <- SMS[(i - 1) %% 5 + 1]
  m <- metaprop(event = x, n = n, sm = sm, method = "Inverse", method.tau = "REML")
  out <- c(out, sprintf(paste0(
    '{"id":%d,"sm":"%s","measure":"%s","events":[%s],"n":[%s],"q":%s,"df_q":%d,"h":%s,"h_lower":%s,"h_upper":%s,',
    '"common":{"estimate":%s,"se":%s,"ci_lower":%s,"ci_upper":%s},',
    '"i2":%s,"i2_lower":%s,"i2_upper":%s,"random":{"estimate":%s,"se":%s,"tau2":%s,"pi_lower":%s,"pi_upper":%s}}'),
    i, sm, ORRMETA[[sm]], paste(x, collapse = ","), paste(n, collapse = ","), fmt(m$Q), as.integer(m$df.Q),
    fmt(m$H), fmt(m$lower.H), fmt(m$upper.H), fmt(m$TE.common), fmt(m$seTE.common),
    fmt(m$lower.common), fmt(m$upper.common), fmt(m$I2), fmt(m$lower.I2), fmt(m$upper.I2),
    fmt(m$TE.random), fmt(m$seTE.random), fmt(m$tau2), fmt(m$lower.predict), fmt(m$upper.predict)))
}
writeLines(paste0(
  '{"description":"meta metaprop common-effect model, H and I2 with their test-based CIs (calcH, isquared), the random-effects model and its prediction interval (method.predict = V)",\n',
  '"generator":"Fixtures/profiles/generate_meta_common_h.R",\n',
  '"call":"metaprop(event=x, n=n, sm=SM, method=\\"Inverse\\", method.tau=\\"REML\\")",\n',
  '"R_version":', toJSON(R.version.string, auto_unbox = TRUE), ',"meta_version":"', packageVersion("meta"),
  '","metafor_version":"', packageVersion("metafor"), '",\n"datasets":[\n', paste(out, collapse = ",\n"), "\n]}"),
  "Fixtures/profiles/meta-common-h.json")
