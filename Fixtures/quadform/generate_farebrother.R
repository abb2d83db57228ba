#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reference values for WeightedChiSquareDistribution (Farebrother's AS 204, Ruben's series):
# CompQuadForm::farebrother(q, lambda) with its defaults (eps = 1e-10, maxit = 1e5, mode = 1),
# the call metafor's .GENQ.func makes for Jackson's (2013) CI for tau^2.
#
# Run from the repository root:  Rscript Fixtures/quadform/generate_farebrother.R
# Writes Fixtures/quadform/farebrother.json (R and CompQuadForm versions recorded).
#
# Cases, set.seed(20261616): 60 cases, case j: r <- sample(1:30, 1) weights
#   lambda <- rexp(r) * 10^runif(1, -3, 2), and q at the 0.01, 0.2, 0.5, 0.8, 0.99 quantiles
#   of a moment-matched scaled chi^2 (q = s * qchisq(p, nu), s = sum(lambda^2)/sum(lambda),
#   nu = sum(lambda)^2/sum(lambda^2)); plus fixed edge cases (one weight, equal weights, a
#   widely spread set).
suppressMessages({ library(CompQuadForm); library(jsonlite) })
set.seed(20261616)
cases <- list()
add <- function(q, lambda) {
  r <- farebrother(q, lambda)
  cases[[length(cases) + 1]] <<- list(q = q, lambda = I(lambda), Qq = r$Qq, ifault = r$ifault)
}
for (j in 1:60) {
  r <- sample(1:30, 1)
  lambda <- rexp(r) * 10^runif(1, -3, 2)
  s <- sum(lambda^2) / sum(lambda); nu <- sum(lambda)^2 / sum(lambda^2)
  for (p in c(0.01, 0.2, 0.5, 0.8, 0.99)) add(s * qchisq(p, nu), lambda)
}
add(1.3, 1); add(5, c(2, 2, 2)); add(0.7, c(1e-3, 0.5, 40, 40, 3)); add(30, c(1e-2, 1, 100))
out <- list(
  generator = "Fixtures/quadform/generate_farebrother.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  compquadform_version = as.character(packageVersion("CompQuadForm")),
  call = "farebrother(q, lambda)  # defaults: eps = 1e-10, maxit = 100000, mode = 1",
  cases = cases)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "Fixtures/quadform/farebrother.json")
