#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reference values for `--convergence metafor`: metafor run with its DEFAULT control, so that
# orrmeta's reproduction of metafor's stopping rules (Fisher scoring with threshold 1e-5 and
# step halving for ML/REML/EB, uniroot with tol = .Machine$double.eps^0.25 for PM and the
# Q-profile CI, the ll(0) check) can be compared at 1e-8 relative.
#
# Run from the repository root:
#   Rscript Fixtures/convergence/generate_metafor_defaults.R
# Writes Fixtures/convergence/metafor-defaults.json (R, metafor and jsonlite versions recorded).
#
# Datasets: 400 random sets, set.seed(20261600 + i);
#   k <- sample(c(2:12, 15, 20, 30, 50), 1); n <- sample(5:300, k, TRUE);
#   mu <- runif(1, -4, 1.5); tau <- sample(c(0, 0, 0.15, 0.4, 1), 1);
#   x <- rbinom(k, n, plogis(rnorm(k, mu, tau)))
# (tau = 0 twice as often, so that tau^2 estimates at or near 0 -- the ll(0) check, step
# halving -- are frequent). Dataset i is fitted with measure MEASURES[(i - 1) %% 5 + 1], so that
# every measure x method x test has 80 datasets, and with every method x test:
#   res <- rma(measure=M, xi=x, ni=n, method=METHOD, test=TEST)   # default control
#   ci  <- confint(res)                                            # default control (QP)
#   pr  <- predict(res)
# Every double is written as the shortest of %.15g/%.16g/%.17g that round-trips.
# Case fields: [estimate, se, ci_lower, ci_upper, pi_lower, pi_upper, tau2, tau2_se,
#               i2, h2, tau2_ci_lower, tau2_ci_upper, i2_ci_lower, i2_ci_upper, h2_ci_lower,
#               h2_ci_upper] ("fields" in the JSON), null where R has NA / non-finite.
suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

MEASURES <- c("PR", "PLN", "PLO", "PAS", "PFT")
METHODS <- c("EE", "DL", "HE", "HS", "SJ", "ML", "REML", "EB", "PM")
TESTS <- c("z", "knha")
N_DATASETS <- 400
FIELDS <- c("estimate", "se", "ci_lower", "ci_upper", "pi_lower", "pi_upper", "tau2", "tau2_se",
            "i2", "h2", "tau2_ci_lower", "tau2_ci_upper", "i2_ci_lower", "i2_ci_upper",
            "h2_ci_lower", "h2_ci_upper")

fmt_num <- function(x) {
  if (is.null(x) || length(x) == 0 || !is.finite(x)) return("null")
  for (d in 15:17) { s <- sprintf(paste0("%.", d, "g"), x); if (as.numeric(s) == x) return(s) }
  sprintf("%.17g", x)
}
num <- function(x) if (is.null(x) || length(x) == 0) NA_real_ else as.double(x)[1]

capture <- function(expr) {
  warns <- character(0); err <- NULL
  val <- withCallingHandlers(
    tryCatch(expr, error = function(e) { err <<- conditionMessage(e); NULL }),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  list(value = val, error = err, warnings = unique(warns))
}

json_str <- function(s) as.character(toJSON(s, auto_unbox = TRUE))
json_strs <- function(s) if (length(s)) as.character(toJSON(as.character(s))) else "[]"

datasets <- character(0)
n_cases <- 0
for (i in seq_len(N_DATASETS)) {
  set.seed(20261600 + i)
  k <- sample(c(2:12, 15, 20, 30, 50), 1)
  n <- sample(5:300, k, TRUE)
  mu <- runif(1, -4, 1.5)
  tau <- sample(c(0, 0, 0.15, 0.4, 1), 1)
  x <- rbinom(k, n, plogis(rnorm(k, mu, tau)))
  M <- MEASURES[(i - 1) %% 5 + 1]
  cases <- character(0)
  for (method in METHODS) for (test in TESTS) {
    fit <- capture(rma(measure = M, xi = x, ni = n, method = method, test = test))
    vals <- rep(NA_real_, length(FIELDS)); names(vals) <- FIELDS
    warns <- fit$warnings; err <- fit$error
    if (is.null(err)) {
      res <- fit$value
      pr <- capture(predict(res))
      vals["estimate"] <- num(res$beta); vals["se"] <- num(res$se)
      vals["ci_lower"] <- num(res$ci.lb); vals["ci_upper"] <- num(res$ci.ub)
      if (is.null(pr$error)) {
        vals["pi_lower"] <- num(if (is.null(pr$value$pi.lb)) pr$value$ci.lb else pr$value$pi.lb)
        vals["pi_upper"] <- num(if (is.null(pr$value$pi.ub)) pr$value$ci.ub else pr$value$pi.ub)
      }
      vals["tau2"] <- num(res$tau2); vals["tau2_se"] <- num(res$se.tau2)
      vals["i2"] <- num(res$I2); vals["h2"] <- num(res$H2)
      warns <- c(warns, pr$warnings)
      if (method != "EE" && k >= 2) {
        ci <- capture(confint(res))
        warns <- c(warns, ci$warnings)
        if (is.null(ci$error)) {
          r <- ci$value$random
          vals["tau2_ci_lower"] <- r["tau^2", "ci.lb"]; vals["tau2_ci_upper"] <- r["tau^2", "ci.ub"]
          vals["i2_ci_lower"] <- r["I^2(%)", "ci.lb"]; vals["i2_ci_upper"] <- r["I^2(%)", "ci.ub"]
          vals["h2_ci_lower"] <- r["H^2", "ci.lb"]; vals["h2_ci_upper"] <- r["H^2", "ci.ub"]
        } else err <- paste("confint:", ci$error)
      }
    }
    n_cases <- n_cases + 1
    cases <- c(cases, sprintf('{"method":%s,"test":%s,"values":[%s],"error":%s,"warnings":%s}',
      json_str(method), json_str(test), paste(vapply(vals, fmt_num, ""), collapse = ","),
      if (is.null(err)) "null" else json_str(err), json_strs(unique(warns))))
  }
  datasets <- c(datasets, sprintf(
    '{"id":%d,"seed":%d,"measure":%s,"k":%d,"mu":%s,"tau":%s,"events":[%s],"n":[%s],"cases":[\n%s]}',
    i, 20261600 + i, json_str(M), k, fmt_num(mu), fmt_num(tau), paste(x, collapse = ","),
    paste(n, collapse = ","), paste(cases, collapse = ",\n")))
}

header <- sprintf(paste0(
  '{"description":"metafor rma() with its default control (threshold 1e-5, uniroot tol .Machine$double.eps^0.25) and confint() with its default control, for --convergence metafor",\n',
  '"generator":"Fixtures/convergence/generate_metafor_defaults.R",\n',
  '"R_version":%s,"metafor_version":%s,"jsonlite_version":%s,"rng_kind":%s,\n',
  '"calls":["rma(measure=M, xi=x, ni=n, method=METHOD, test=TEST)","predict(res)","confint(res)"],\n',
  '"fields":%s,"n_datasets":%d,"n_cases":%d,\n"datasets":[\n'),
  json_str(R.version.string), json_str(as.character(packageVersion("metafor"))),
  json_str(as.character(packageVersion("jsonlite"))), json_strs(RNGkind()),
  json_strs(FIELDS), N_DATASETS, n_cases)
writeLines(paste0(header, paste(datasets, collapse = ",\n"), "\n]}"),
           "Fixtures/convergence/metafor-defaults.json")
