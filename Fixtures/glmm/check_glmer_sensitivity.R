#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Where glmer stops in the cumulative three-level GLMM refits of the ALK table
# (Fixtures/glmm/expected3_sensitivity.json, step "ALESIA", 12 cohorts): glmer's Laplace deviance
# (getME(fit, "devfun"), parameters (theta_cohort, theta_trial, mu)) at its own optimum and at
# orrmeta's `--nagq 1` optimum, and the profile deviance over sigma_trial (mu and sigma_cohort
# re-optimised by Nelder-Mead, reltol 1e-15). Prints the numbers quoted in
# Tests/MetaProportionTests/ThreeLevelGLMMSensitivityTests.swift.
# Usage: Rscript Fixtures/glmm/check_glmer_sensitivity.R
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
ref <- fromJSON("Fixtures/glmm/expected3_sensitivity.json", simplifyVector = FALSE)$datasets[[1]]
d <- data.frame(trial = unlist(ref$trial), x = unlist(ref$x), n = unlist(ref$n), stringsAsFactors = FALSE)
labs <- unique(d$trial)
d <- d[d$trial %in% labs[seq_len(match("ALESIA", labs))], ]
d$trial <- factor(d$trial, levels = unique(d$trial))
d$cohort <- factor(ave(seq_len(nrow(d)), d$trial, FUN = seq_along))
fit <- glmer(cbind(x, n - x) ~ 1 + (1 | trial/cohort), data = d, family = binomial, nAGQ = 1,
  control = glmerControl(optimizer = "bobyqa", tolPwrss = 1e-13, optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))
dv <- getME(fit, "devfun")
glmer_opt <- unname(c(getME(fit, "theta"), fixef(fit)))
orrmeta_opt <- c(0.9694974401694374, 0.013815685373954683, 0.7331177151042494)
cat(sprintf("deviance at glmer's optimum %.10f, at orrmeta's %.10f\n", dv(glmer_opt), dv(orrmeta_opt)))
for (s1 in c(0, 0.01, 0.0138, 0.0153, 0.02)) {
  r <- optim(c(0.9695, 0.7331), function(p) dv(c(p[1], s1, p[2])), control = list(reltol = 1e-15))
  cat(sprintf("profile deviance at sigma_trial = %g: %.10f\n", s1, r$value))
}
