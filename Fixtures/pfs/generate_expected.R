# Reference values for orrmeta's median-survival pooling (`orrmeta pfs --pool iv`), exact
# sign-test interval (`--ci sign-exact`) and hazard-ratio pooling (`--hr`). Writes, next to
# this script:
#   dat_lung.csv   metamedian's dataset dat.lung (Iskander et al. 2024; 30 NSCLC RCTs) in
#                  orrmeta's column names;
#   expected.json  every case: its input rows, the call, and every figure.
#
#   Rscript Fixtures/pfs/generate_expected.R        (from the repository root)
#
# Needs R with metamedian (>= 1.2, from its public source), metafor, Hmisc and jsonlite. Not run
# by `swift test` (CI has no R); the Swift tests compare against the committed JSON.
#
# metafor 3.8-1 (the reference version of this project) has no conv.wald (added in metafor
# 4.0-0). The hazard-ratio cases therefore apply conv.wald's documented conversion here,
# vi = ((log ub - log lb) / (2 qnorm(1 - alpha/2)))^2 with yi = log(hr), and its check
# (|(log ub + log lb)/2 - yi| / (log ub - log lb) > 0.1 flags a row), then call metafor's rma.
# SPDX-License-Identifier: GPL-3.0-or-later

suppressPackageStartupMessages({
  library(metafor)
  library(metamedian)
  library(Hmisc)
  library(jsonlite)
})

here <- "Fixtures/pfs"
tight <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
data(dat.lung, package = "metamedian")

# --- dat.lung in orrmeta's column names -------------------------------------------------------
lung <- data.frame(
  study = dat.lung$study,
  n_treat = dat.lung$n.g1, median_treat = dat.lung$med.g1,
  median_treat_ci_lower = dat.lung$med.ci.lb.g1, median_treat_ci_upper = dat.lung$med.ci.ub.g1,
  median_treat_ci_level = dat.lung$med.ci.level.g1,
  n_ctrl = dat.lung$n.g2, median_ctrl = dat.lung$med.g2,
  median_ctrl_ci_lower = dat.lung$med.ci.lb.g2, median_ctrl_ci_upper = dat.lung$med.ci.ub.g2,
  median_ctrl_ci_level = dat.lung$med.ci.level.g2)
write.csv(lung, file.path(here, "dat_lung.csv"), row.names = FALSE, quote = FALSE)

estimands <- c(median_treat = "median_g1", median_ctrl = "median_g2",
               difference = "difference_median", "log-ratio" = "ratio_median")

fit_fields <- function(fit) {
  pr <- predict(fit)
  # EE: predict() gives no prediction interval; with tau^2 = 0 it is the CI (orrmeta reports so).
  if (is.null(pr$pi.lb)) { pr$pi.lb <- pr$ci.lb; pr$pi.ub <- pr$ci.ub }
  list(estimate = unname(fit$b[1]), se = fit$se, ci_lower = fit$ci.lb, ci_upper = fit$ci.ub,
       pi_lower = unname(pr$pi.lb), pi_upper = unname(pr$pi.ub), tau2 = fit$tau2,
       q = fit$QE, i2 = fit$I2, h2 = fit$H2, pval = fit$pval)
}

# One metamedian_survival case. `rows` uses metamedian's column names (NA = bound not reached).
survival_case <- function(name, rows, estimand, method, test, store_rows = TRUE) {
  parts <- metamedian_survival(data = rows, estimand = estimands[[estimand]], pool_studies = FALSE)
  fit <- metamedian_survival(data = rows, estimand = estimands[[estimand]], method = method,
                             test = test, control = tight)
  out <- fit_fields(fit)
  if (estimand == "log-ratio") {
    out$ratio <- exp(c(out$estimate, out$ci_lower, out$ci_upper, out$pi_lower, out$pi_upper))
  }
  list(name = name, estimand = estimand, method = method, test = test,
       call = sprintf("metamedian_survival(data, estimand = '%s', method = '%s', test = '%s', control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000))",
                      estimands[[estimand]], method, test),
       rows = if (store_rows) rows else NULL, yi = parts$yi, sei = parts$sei, result = out)
}

cases <- list()
for (e in names(estimands)) for (m in c("REML", "DL", "PM", "ML", "EE")) for (t in c("z", "knha")) {
  cases[[length(cases) + 1]] <- survival_case("dat.lung", dat.lung[, -1], e, m, t, store_rows = FALSE)
}

# Random subsets: bounds not reached (NA upper bounds), other CI levels.
set.seed(20250303)
for (s in 1:12) {
  k <- sample(5:20, 1)
  rows <- dat.lung[sort(sample(nrow(dat.lung), k)), -1]
  for (g in c("g1", "g2")) {
    nr <- runif(k) < 0.25
    rows[[paste0("med.ci.ub.", g)]][nr] <- NA
    rows[[paste0("med.ci.level.", g)]] <- sample(c(0.9, 0.95, 0.95, 0.99), k, replace = TRUE)
  }
  m <- sample(c("REML", "DL", "PM", "ML"), 1)
  t <- sample(c("z", "knha"), 1)
  for (e in names(estimands)) {
    cases[[length(cases) + 1]] <- survival_case(sprintf("subset %d", s), rows, e, m, t)
  }
}

# --- pool.med: exact and normal-approximation sign-test intervals -----------------------------
pool_case <- function(name, yi, wi, level) {
  ex <- pool.med(yi, wi, norm.approx = FALSE, coverage.prob = level)
  na <- pool.med(yi, wi, norm.approx = TRUE, coverage.prob = level)
  list(name = name, level = level, yi = yi, wi = wi,
       call = sprintf("pool.med(yi, wi, norm.approx = FALSE, coverage.prob = %g)", level),
       estimate = ex$pooled.est, exact_ci_lower = ex$ci.lb, exact_ci_upper = ex$ci.ub,
       exact_coverage = ex$cov.level, approx_ci_lower = na$ci.lb, approx_ci_upper = na$ci.ub)
}
pooled <- list(
  pool_case("dat.lung treatment, weights n", dat.lung$med.g1, dat.lung$n.g1, 0.95),
  pool_case("dat.lung control, weights n", dat.lung$med.g2, dat.lung$n.g2, 0.95))
for (s in 1:10) {
  k <- sample(6:40, 1)
  yi <- round(rlnorm(k, log(10), 0.5), 1)
  wi <- sample(20:600, k, replace = TRUE)
  pooled[[length(pooled) + 1]] <- pool_case(sprintf("random %d", s), yi, wi, sample(c(0.9, 0.95, 0.99), 1))
}
unweighted <- pool.med(dat.lung$med.g1, norm.approx = FALSE)

# --- Hazard ratios from their CIs (conv.wald with transf = log, then rma) ---------------------
conv_wald_log <- function(hr, lb, ub, level) {
  crit <- qnorm((100 - level) / 200, lower.tail = FALSE)
  yi <- log(hr); l <- log(lb); u <- log(ub)
  list(yi = yi, vi = ((u - l) / (2 * crit))^2, flagged = which(abs((u + l) / 2 - yi) / (u - l) > 0.1))
}
hr_cases <- list()
for (s in 1:8) {
  k <- sample(3:15, 1)
  yi <- rnorm(k, log(0.6), 0.3); se <- runif(k, 0.08, 0.4)
  level <- sample(c(90, 95, 95, 99), k, replace = TRUE)
  crit <- qnorm((100 - level) / 200, lower.tail = FALSE)
  hr <- round(exp(yi), 2); lb <- round(exp(yi - crit * se), 2); ub <- round(exp(yi + crit * se), 2)
  if (s %% 3 == 0) hr[1] <- round(sqrt(lb[1] * ub[1]) * 1.6, 2)   # an estimate off the midpoint
  cw <- conv_wald_log(hr, lb, ub, level)
  m <- sample(c("REML", "DL", "PM", "EE"), 1); t <- sample(c("z", "knha"), 1)
  fit <- rma(yi = cw$yi, vi = cw$vi, method = m, test = t, control = tight)
  out <- fit_fields(fit)
  out$ratio <- exp(c(out$estimate, out$ci_lower, out$ci_upper, out$pi_lower, out$pi_upper))
  hr_cases[[s]] <- list(name = sprintf("hr %d", s), method = m, test = t,
    call = sprintf("rma(yi, vi, method = '%s', test = '%s', control = tight) on conv.wald(hr, lb, ub, level, transf = log)", m, t),
    hr = hr, ci_lower = lb, ci_upper = ub, level = level, yi = cw$yi, sei = sqrt(cw$vi),
    flagged_rows = cw$flagged, result = out)
}

# --- Meta-regression on the metamedian outcomes (metafor rma.uni(yi, vi, mods =)) -------------
regression_case <- function(estimand, mods, method, test) {
  X <- as.matrix(dat.lung[, mods, drop = FALSE])
  fit <- metamedian_survival(data = dat.lung[, -1], estimand = estimands[[estimand]], mods = X,
                             method = method, test = test, control = tight)
  list(estimand = estimand, mods = c(mods), method = method, test = test,
       call = sprintf("metamedian_survival(dat.lung, estimand = '%s', mods = cbind(%s), method = '%s', test = '%s', control = tight)",
                      estimands[[estimand]], paste(mods, collapse = ", "), method, test),
       estimate = unname(fit$b[, 1]), se = fit$se, pval = fit$pval, ci_lower = fit$ci.lb, ci_upper = fit$ci.ub,
       tau2 = fit$tau2, qm = fit$QM, qm_p_value = fit$QMp, qe = fit$QE, i2 = fit$I2, r2 = fit$R2)
}
regressions <- list(
  regression_case("median_treat", "n.g1", "REML", "z"),
  regression_case("log-ratio", c("n.g1", "n.g2"), "REML", "knha"),
  regression_case("difference", "n.g1", "DL", "z"))

# --- The sourced ALK table (Fixtures/alk-nsclc/cohorts.csv): IV pooled median PFS and HRs by line ---
alk <- read.csv("Fixtures/alk-nsclc/cohorts.csv", stringsAsFactors = FALSE, na.strings = "")
alk_sourced <- list()
for (line in c("all", "naive", "pretreated")) {
  s <- if (line == "all") alk else alk[alk$line == line, ]
  m <- s[!is.na(s$median_pfs_months) & !is.na(s$median_pfs_ci_lower) & !is.na(s$median_pfs_ci_upper), ]
  entry <- list(line = line, median_k = nrow(m))
  if (nrow(m) > 0) {
    rows <- data.frame(med.g1 = m$median_pfs_months, med.ci.lb.g1 = m$median_pfs_ci_lower,
                       med.ci.ub.g1 = m$median_pfs_ci_upper, med.ci.level.g1 = m$median_pfs_ci_level / 100)
    entry$median_labels <- m$study_id
    entry$median <- fit_fields(metamedian_survival(data = rows, estimand = "median_g1", control = tight))
  }
  h <- s[!is.na(s$hr), ]
  entry$hr_k <- nrow(h)
  if (nrow(h) > 0) {
    cw <- conv_wald_log(h$hr, h$hr_ci_lower, h$hr_ci_upper, h$hr_ci_level)
    fit <- rma(yi = cw$yi, vi = cw$vi, method = "REML", control = tight)
    entry$hr_labels <- h$study_id
    entry$hr <- fit_fields(fit)
    entry$hr$ratio <- exp(c(entry$hr$estimate, entry$hr$ci_lower, entry$hr$ci_upper, entry$hr$pi_lower, entry$hr$pi_upper))
  }
  alk_sourced[[line]] <- entry
}

out <- list(
  generated_by = "Fixtures/pfs/generate_expected.R",
  r_version = R.version.string,
  metamedian_version = as.character(packageVersion("metamedian")),
  metafor_version = as.character(packageVersion("metafor")),
  hmisc_version = as.character(packageVersion("Hmisc")),
  jsonlite_version = as.character(packageVersion("jsonlite")),
  control = "control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)",
  dataset = "metamedian dat.lung (Iskander et al. 2024), as dat_lung.csv",
  survival = cases, pool_med = pooled,
  pool_med_unweighted_dat_lung_treatment = list(
    call = "pool.med(dat.lung$med.g1, norm.approx = FALSE)", estimate = unweighted$pooled.est,
    ci_lower = unweighted$ci.lb, ci_upper = unweighted$ci.ub, coverage = unweighted$cov.level),
  hazard_ratios = hr_cases,
  meta_regression = regressions,
  alk_sourced = alk_sourced)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), file.path(here, "expected.json"))
