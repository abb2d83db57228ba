#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Why glmer's standard error of the intercept differs from orrmeta's on random21 (a boundary
# fit, sigma_cohort ~ 0): lme4 reports sqrt(diag(vcov(fit))) from the Hessian stored in
# fit@optinfo$derivs, which is not the Hessian of glmer's own deviance function at the optimum.
# This script refits the datasets named below exactly as generate_glmm3.R does and records
#   * se_vcov:    sqrt(vcov(fit))[1] (lme4's default, from optinfo$derivs$Hessian),
#   * se_rx:      sqrt(vcov(fit, use.hessian = FALSE))[1] (from RX, theta held fixed),
#   * se_devfun:  the SE from central differences (h = 1e-4) of getME(fit, "devfun") in
#                 (theta_trial, beta) at the optimum, theta_cohort held at its (boundary) value:
#                 the curvature of the Laplace deviance that glmer maximised.
# Usage: Rscript Fixtures/glmm/check_glmer_se.R > Fixtures/glmm/glmer_se.json
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
fx <- fromJSON("Fixtures/glmm/expected3.json", simplifyVector = FALSE)
out <- list()
for (ds in fx$datasets) {
  if (!(ds$name %in% c("random21"))) next
  d <- data.frame(trial = unlist(ds$trial), x = unlist(ds$x), n = unlist(ds$n))
  d$cohort <- factor(seq_len(nrow(d)))
  fit <- suppressMessages(glmer(cbind(x, n - x) ~ 1 + (1 | trial/cohort), data = d, family = binomial, nAGQ = 1,
               control = glmerControl(optimizer = "bobyqa", tolPwrss = 1e-13,
                                      optCtrl = list(rhoend = 1e-12, maxfun = 1e5))))
  dv <- getME(fit, "devfun")
  th <- getME(fit, "theta")  # (cohort:trial, trial)
  p0 <- c(th, fixef(fit))
  f <- function(tr, b) dv(c(th[1], tr, b))
  h <- 1e-4
  a <- p0[2]; b <- p0[3]
  f0 <- f(a, b)
  haa <- (f(a + h, b) - 2 * f0 + f(a - h, b)) / h^2
  hbb <- (f(a, b + h) - 2 * f0 + f(a, b - h)) / h^2
  hab <- (f(a + h, b + h) - f(a + h, b - h) - f(a - h, b + h) + f(a - h, b - h)) / (4 * h^2)
  info <- matrix(c(haa, hab, hab, hbb), 2) / 2  # -loglik Hessian
  out[[length(out) + 1]] <- list(
    name = ds$name, theta = unname(th), beta = unname(fixef(fit)),
    se_vcov = unname(sqrt(diag(as.matrix(vcov(fit))))[1]),
    se_rx = unname(suppressWarnings(sqrt(diag(as.matrix(vcov(fit, use.hessian = FALSE))))[1])),
    se_devfun = sqrt(solve(info)[2, 2]),
    stored_hessian_half = unname(fit@optinfo$derivs$Hessian / 2),
    devfun_hessian_half = unname(info))
}
cat(toJSON(list(lme4 = as.character(packageVersion("lme4")), R = R.version.string,
                call = "glmer(cbind(x, n - x) ~ 1 + (1 | trial/cohort), family = binomial, nAGQ = 1, control = glmerControl(optimizer = 'bobyqa', tolPwrss = 1e-13, optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))",
                datasets = out), auto_unbox = TRUE, digits = NA, pretty = TRUE))
