#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# References for leave-one-cluster-out and cumulative (by cluster, in file order) of the
# three-level binomial-normal GLMM: for the ALK table by trial and the first six random nested
# datasets of Fixtures/glmm/expected3.json, every subset (each trial left out; the first c trials
# in order of first appearance, c = 1..trials) with at least 3 cohorts in 2 trials is refitted by
#   glmer(cbind(x, n - x) ~ 1 + (1 | trial/cohort), family = binomial, nAGQ = 1,
#         control = glmerControl(optimizer = "bobyqa", tolPwrss = 1e-13,
#                                optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))
# (as Fixtures/glmm/generate_glmm3.R), recording mu, sigma per level (s1 trial, s2 cohort),
# logLik (Laplace), lme4's SE of mu and its messages (tolPwrss = 1e-7, lme4's default, where 1e-13
# stops PIRLS with "maxstephalfit"; recorded per refit as tolPwrss). Subsets that are too small have no fit
# (null), as in orrmeta's output.
# Usage: Rscript Fixtures/glmm/generate_glmm3_sensitivity.R > Fixtures/glmm/expected3_sensitivity.json
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
call <- "glmer(cbind(x, n - x) ~ 1 + (1 | trial/cohort), family = binomial, nAGQ = 1, control = glmerControl(optimizer = 'bobyqa', tolPwrss = 1e-13, optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))"
ref <- fromJSON("Fixtures/glmm/expected3.json", simplifyVector = FALSE)
names_all <- vapply(ref$datasets, function(d) d$name, "")
chosen <- c(grep("^alk", names_all, value = TRUE), head(grep("^random", names_all, value = TRUE), 6))
refit <- function(d) {
  if (nrow(d) < 3 || length(unique(d$trial)) < 2) return(NULL)
  d$trial <- factor(d$trial, levels = unique(d$trial))
  d$cohort <- factor(ave(seq_len(nrow(d)), d$trial, FUN = seq_along))
  fitwith <- function(tol) {
    warn <- character(0)
    fit <- tryCatch(withCallingHandlers(suppressMessages(
      glmer(cbind(x, n - x) ~ 1 + (1 | trial/cohort), data = d, family = binomial, nAGQ = 1,
            control = glmerControl(optimizer = "bobyqa", tolPwrss = tol,
                                   optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))),
      warning = function(w) { warn <<- c(warn, conditionMessage(w)); invokeRestart("muffleWarning") }),
      error = function(e) { warn <<- c(warn, conditionMessage(e)); NULL })
    list(fit = fit, warn = warn)
  }
  r <- fitwith(1e-13)
  tol <- 1e-13
  if (is.null(r$fit)) { r0 <- r; r <- fitwith(1e-7); tol <- 1e-7; r$warn <- c(paste("tolPwrss = 1e-13:", r0$warn), r$warn) }
  fit <- r$fit; warn <- r$warn
  if (is.null(fit)) return(NULL)
  th <- getME(fit, "theta")  # (cohort:trial, trial)
  list(mu = unname(fixef(fit)), s1 = unname(th[2]), s2 = unname(th[1]),
       logLik = as.numeric(logLik(fit)), se = unname(sqrt(diag(as.matrix(vcov(fit))))[1]),
       k = nrow(d), tolPwrss = tol, messages = I(c(warn, fit@optinfo$conv$lme4$messages)))
}
out <- list()
for (nm in chosen) {
  r <- ref$datasets[[match(nm, names_all)]]
  d <- data.frame(trial = unlist(r$trial), x = unlist(r$x), n = unlist(r$n), stringsAsFactors = FALSE)
  labs <- unique(d$trial)
  loo <- lapply(labs, function(t) { f <- refit(d[d$trial != t, ]); list(label = t, fit = f) })
  cum <- lapply(seq_along(labs), function(c) { f <- refit(d[d$trial %in% labs[1:c], ]); list(label = labs[c], fit = f) })
  out[[length(out) + 1]] <- list(name = nm, trial = d$trial, x = d$x, n = d$n,
                                 leave_one_cluster_out = loo, cumulative = cum)
}
cat(toJSON(list(generator = "Fixtures/glmm/generate_glmm3_sensitivity.R",
                lme4 = as.character(packageVersion("lme4")), R = R.version.string, call = call,
                datasets = out), auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"))
