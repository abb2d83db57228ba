#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# References for the three-level binomial-normal GLMM within subgroups: the sourced ALK table
# (Fixtures/alk-nsclc/cohorts.csv), cohorts nested in trials, split by `line`; in every subgroup
#   glmer(cbind(x, n - x) ~ 1 + (1 | trial/cohort), family = binomial, nAGQ = 1,
#         control = glmerControl(optimizer = "bobyqa", tolPwrss = 1e-13,
#                                optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))
# (as Fixtures/glmm/generate_glmm3.R), recording mu, sigma per level, logLik, lme4's SE, and the
# SE from central differences (h = 1e-4) of getME(fit, "devfun") in (theta, beta) over the
# parameters off the boundary (theta > 1e-4), as Fixtures/glmm/check_glmer_se.R explains.
# The tests compare lme4's SE (se_vcov): away from the boundary it is the curvature of the Laplace
# deviance (se_devfun, from devfun evaluations whose PIRLS restarts from the previous modes, is
# 0.15 % off it on "naive" and is recorded for information only).
# Usage: Rscript Fixtures/glmm/generate_glmm3_subgroups.R > Fixtures/glmm/expected3_subgroups.json
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
alk <- read.csv("Fixtures/alk-nsclc/cohorts.csv", stringsAsFactors = FALSE)
call <- "glmer(cbind(x, n - x) ~ 1 + (1 | trial/cohort), family = binomial, nAGQ = 1, control = glmerControl(optimizer = 'bobyqa', tolPwrss = 1e-13, optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))"
out <- list()
for (g in unique(alk$line)) {
  d <- data.frame(trial = alk$trial, x = alk$responders, n = alk$n)[alk$line == g, ]
  if (nrow(d) < 3 || length(unique(d$trial)) < 2) next
  d$trial <- factor(d$trial, levels = unique(d$trial))
  d$cohort <- factor(ave(seq_len(nrow(d)), d$trial, FUN = seq_along))
  warn <- character(0)
  fit <- withCallingHandlers(suppressMessages(
    glmer(cbind(x, n - x) ~ 1 + (1 | trial/cohort), data = d, family = binomial, nAGQ = 1,
          control = glmerControl(optimizer = "bobyqa", tolPwrss = 1e-13,
                                 optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))),
    warning = function(w) { warn <<- c(warn, conditionMessage(w)); invokeRestart("muffleWarning") })
  th <- getME(fit, "theta")  # (cohort:trial, trial)
  beta <- unname(fixef(fit))
  dv <- getME(fit, "devfun")
  p0 <- c(unname(th), beta)
  free <- c(which(p0[1:2] > 1e-4), 3)
  h <- 1e-4
  f <- function(p) dv(p)
  H <- matrix(0, 3, 3)
  for (i in free) for (j in free) {
    ei <- replace(numeric(3), i, h); ej <- replace(numeric(3), j, h)
    H[i, j] <- (f(p0 + ei + ej) - f(p0 + ei - ej) - f(p0 - ei + ej) + f(p0 - ei - ej)) / (4 * h^2)
  }
  info <- H[free, free] / 2
  se_devfun <- sqrt(solve(info)[length(free), length(free)])
  out[[length(out) + 1]] <- list(
    name = g, trial = as.character(d$trial), x = d$x, n = d$n,
    mu = beta, s1 = unname(th[2]), s2 = unname(th[1]), logLik = as.numeric(logLik(fit)),
    se_vcov = unname(sqrt(diag(as.matrix(vcov(fit))))[1]), se_devfun = se_devfun,
    messages = c(warn, fit@optinfo$conv$lme4$messages))
}
cat(toJSON(list(generator = "Fixtures/glmm/generate_glmm3_subgroups.R",
                lme4 = as.character(packageVersion("lme4")), R = R.version.string, call = call,
                by = "line", subgroups = out), auto_unbox = TRUE, digits = NA, pretty = TRUE))
