#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reference values for orrmeta's three-level binomial-normal GLMM (cohorts nested in trials):
#   logit(p_ij) = mu + u_i + w_ij,  u_i ~ N(0, s1^2) (trial),  w_ij ~ N(0, s2^2) (cohort).
#
# Run from the repository root:
#   Rscript Fixtures/glmm/generate_glmm3.R [path/to/alk_cohorts.csv]
# Writes Fixtures/glmm/expected3.json.
#
# For each dataset (32 random nested datasets, seed 20261202, and the ALK table by trial):
#   * "glmer": lme4::glmer(cbind(x, n - x) ~ 1 + (1 | trial/cohort), family = binomial,
#     nAGQ = 1, control = glmerControl(optimizer = "bobyqa", tolPwrss = 1e-13,
#     optCtrl = list(rhoend = 1e-12, maxfun = 1e5))): mu, s1, s2, SE(mu), logLik (Laplace,
#     binomial coefficients included) and lme4's convergence messages (tolPwrss = 1e-7, lme4's
#     default, where 1e-13 stops PIRLS with "maxstephalfit"; recorded per dataset);
#   * "exact_at": the exact marginal log-likelihood at given parameters (the glmer optimum and
#     two perturbed points), by brute-force nested adaptive Gauss-Hermite quadrature with 60
#     points at both levels (inner modes by safeguarded Newton to machine precision; outer
#     centre by optimize() on the integrated log-integrand, outer scale from its curvature);
#   * "exact": the maximum of that likelihood by optim(method = "BFGS", reltol = 1e-15) with a
#     central-difference gradient, started at the glmer optimum (and from s1 = 0.3, s2 = 0.3
#     when s1 or s2 is at 0 there), and the gradient norm at the optimum.
suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
alk_path <- if (length(args) >= 1) args[1] else "Fixtures/alk-nsclc/cohorts.csv"
out_path <- "Fixtures/glmm/expected3.json"
gh <- GHrule(60)
z <- gh[, "z"]
lw <- log(gh[, "w"]) + z^2 / 2

# Inner modes: eta = a + s2^2 (x - n plogis(eta)), vectorised over a.
inner_modes <- function(a, s2, x, n) {
  t2 <- s2^2
  g0 <- x - n * plogis(a)
  lo <- pmin(a, a + t2 * g0); hi <- pmax(a, a + t2 * g0)
  eta <- a + t2 * g0 / (1 + t2 * n * plogis(a) * plogis(-a))
  bad <- !(eta >= lo & eta <= hi); eta[bad] <- 0.5 * (lo[bad] + hi[bad])
  for (it in 1:300) {
    p <- plogis(eta)
    r <- eta - a - t2 * (x - n * p)
    lo <- ifelse(r < 0, eta, lo); hi <- ifelse(r > 0, eta, hi)
    nxt <- eta - r / (1 + t2 * n * p * (1 - p))
    bad <- !(nxt >= lo & nxt <= hi)
    nxt[bad] <- 0.5 * (lo[bad] + hi[bad])
    if (all(abs(nxt - eta) <= 1e-15 * (1 + abs(eta)))) { eta <- nxt; break }
    eta <- nxt
  }
  eta
}
# log of int Bin(x | n, plogis(a + s2 w)) dnorm(w) dw (without the binomial coefficient),
# vectorised over a; 60-point adaptive Gauss-Hermite.
log_inner <- function(a, s2, x, n) {
  if (s2 == 0) return(x * a - n * log1p(exp(a)) * (a < 30) - n * (a + log1p(exp(-a))) * (a >= 30))
  eta <- inner_modes(a, s2, x, n)
  what <- (eta - a) / s2
  p <- plogis(eta)
  s <- 1 / sqrt(1 + s2^2 * n * p * (1 - p))
  w <- outer(what, z * 0, "+") + outer(s, z)          # length(a) x 60
  e <- a + s2 * w
  h <- x * e - n * ifelse(e > 0, e + log1p(exp(-e)), log1p(exp(e))) - w^2 / 2 + rep(lw, each = length(a))
  m <- apply(h, 1, max)
  m + log(rowSums(exp(h - m))) + log(s)
}
log_trial <- function(mu, s1, s2, x, n) {
  g <- function(u) {
    tot <- -u^2 / 2
    for (j in seq_along(x)) tot <- tot + log_inner(mu + s1 * u, s2, x[j], n[j])
    tot
  }
  if (s1 == 0) return(g(0))
  # g is concave (each inner integral is log-concave in a): its maximum on a grid, then
  # Newton steps with central differences, all vectorised over u.
  grid <- seq(-10, 10, by = 0.25)
  uh <- grid[which.max(g(grid))]
  h <- 1e-4
  for (it in 1:30) {
    v3 <- g(uh + c(-h, 0, h))
    d1 <- (v3[3] - v3[1]) / (2 * h); d2 <- (v3[3] - 2 * v3[2] + v3[1]) / h^2
    step <- if (d2 < 0) -d1 / d2 else 0.1 * sign(d1)
    step <- max(-1, min(1, step))
    uh <- uh + step
    if (abs(step) < 1e-9) break
  }
  v3 <- g(uh + c(-1e-3, 0, 1e-3))
  c2 <- -(v3[3] - 2 * v3[2] + v3[1]) / 1e-6
  s <- 1 / sqrt(c2)
  v <- g(uh + s * z) + lw
  m <- max(v)
  m + log(sum(exp(v - m))) + log(s)
}
exact_loglik <- function(par, d) {
  mu <- par[1]; s1 <- abs(par[2]); s2 <- abs(par[3])
  tot <- sum(lchoose(d$n, d$x))
  for (tr in split(seq_len(nrow(d)), d$trial)) tot <- tot + log_trial(mu, s1, s2, d$x[tr], d$n[tr])
  tot
}
exact_optimum <- function(start, d) {
  f <- function(p) -exact_loglik(p, d)
  gr <- function(p) {
    h <- 1e-5
    sapply(1:3, function(i) { e <- replace(numeric(3), i, h); (f(p + e) - f(p - e)) / (2 * h) })
  }
  o <- optim(start, f, gr, method = "BFGS", control = list(reltol = 1e-15, maxit = 10000))
  list(par = c(o$par[1], abs(o$par[2:3])), value = -o$value, gradient = gr(o$par), convergence = o$convergence)
}

fit_dataset <- function(name, d) {
  d$trial <- factor(d$trial, levels = unique(d$trial))
  d$cohort <- factor(ave(seq_len(nrow(d)), d$trial, FUN = seq_along))
  warn <- character(0)
  run <- function(tol) withCallingHandlers(
    glmer(cbind(x, n - x) ~ 1 + (1 | trial/cohort), data = d, family = binomial, nAGQ = 1,
          control = glmerControl(optimizer = "bobyqa", tolPwrss = tol,
                                 optCtrl = list(rhoend = 1e-12, maxfun = 1e5))),
    warning = function(w) { warn <<- c(warn, conditionMessage(w)); invokeRestart("muffleWarning") })
  # tolPwrss = 1e-13 can fail in PIRLS step-halving ("maxstephalfit"); then lme4's default 1e-7.
  tolPwrss <- 1e-13
  fit <- tryCatch(run(tolPwrss), error = function(e) NULL)
  if (is.null(fit)) { tolPwrss <- 1e-7; fit <- run(tolPwrss) }
  vc <- as.data.frame(VarCorr(fit))
  s1 <- vc$sdcor[vc$grp == "trial"]
  s2 <- vc$sdcor[vc$grp == "cohort:trial"]
  mu <- unname(fixef(fit)[1])
  g <- list(mu = mu, s1 = s1, s2 = s2, se = unname(sqrt(diag(as.matrix(vcov(fit))))[1]),
            logLik = as.numeric(logLik(fit)), tolPwrss = tolPwrss,
            messages = c(warn, fit@optinfo$conv$lme4$messages, fit@optinfo$message))
  at <- list(c(mu, s1, s2), c(mu + 0.3, s1 + 0.2, s2 + 0.1), c(mu - 0.2, 0.5 * s1 + 0.05, 1.5 * s2 + 0.05))
  exact_at <- lapply(at, function(p) list(mu = p[1], s1 = p[2], s2 = p[3], logLik = exact_loglik(p, d)))
  best <- exact_optimum(c(mu, max(s1, 0.05), max(s2, 0.05)), d)
  if (s1 < 1e-4 || s2 < 1e-4) {
    other <- exact_optimum(c(mu, 0.3, 0.3), d)
    if (other$value > best$value) best <- other
  }
  cat(sprintf("%-10s k=%3d trials=%2d  glmer (%.6f %.6f %.6f)  exact (%.6f %.6f %.6f) ll %.8f |g| %.1e\n",
              name, nrow(d), nlevels(d$trial), mu, s1, s2, best$par[1], best$par[2], best$par[3],
              best$value, sqrt(sum(best$gradient^2))))
  list(name = name, trial = as.character(d$trial), x = d$x, n = d$n, glmer = g, exact_at = exact_at,
       exact = list(mu = best$par[1], s1 = best$par[2], s2 = best$par[3], logLik = best$value,
                    gradientNorm = sqrt(sum(best$gradient^2)), convergence = best$convergence))
}

set.seed(20261202)
datasets <- list()
for (r in 1:32) {
  trials <- sample(5:14, 1)
  sizes <- sample(1:4, trials, replace = TRUE, prob = c(0.35, 0.35, 0.2, 0.1))
  mu <- runif(1, -2.5, 1.5); s1 <- runif(1, 0, 1.2); s2 <- runif(1, 0, 1.0)
  if (r %% 8 == 0) s1 <- 0
  if (r %% 8 == 4) s2 <- 0
  trial <- rep(sprintf("T%02d", seq_len(trials)), sizes)
  u <- rnorm(trials, 0, s1)[as.integer(factor(trial))]
  n <- sample(c(8:40, 40:250), length(trial), replace = TRUE)
  x <- rbinom(length(trial), n, plogis(mu + u + rnorm(length(trial), 0, s2)))
  datasets[[r]] <- fit_dataset(sprintf("random%02d", r), data.frame(trial = trial, x = x, n = n))
}
alk <- read.csv(alk_path, stringsAsFactors = FALSE)
datasets[[length(datasets) + 1]] <- fit_dataset("alk", data.frame(trial = alk$trial, x = alk$responders, n = alk$n))

out <- list(
  generator = "Fixtures/glmm/generate_glmm3.R",
  R = R.version.string, lme4 = as.character(packageVersion("lme4")),
  glmer_call = "glmer(cbind(x, n - x) ~ 1 + (1 | trial/cohort), family = binomial, nAGQ = 1, control = glmerControl(optimizer = 'bobyqa', tolPwrss = 1e-13, optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))",
  exact_method = "nested adaptive Gauss-Hermite, 60 points at both levels; optimum by optim BFGS reltol 1e-15, central-difference gradient h = 1e-5",
  datasets = datasets)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), out_path)
