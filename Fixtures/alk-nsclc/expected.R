# Independent computation of every figure `orrmeta reproduce` and `orrmeta check` derive from
# this directory's cohorts.csv and published.toml. Writes expected.json next to this script.
#
#   Rscript Fixtures/alk-nsclc/expected.R        (from the repository root)
#
# Needs R with metafor, Hmisc and jsonlite. Not run by `swift test` (CI has no R): its output,
# expected.json, is committed and the Swift tests compare against it.
# SPDX-License-Identifier: GPL-3.0-or-later

suppressPackageStartupMessages({
  library(metafor)
  library(Hmisc)
  library(jsonlite)
})

here <- "Fixtures/alk-nsclc"
d <- read.csv(file.path(here, "cohorts.csv"), stringsAsFactors = FALSE, na.strings = "")
z <- qnorm(0.975)

# --- Simple pooling: sum of responders / sum of patients, three binomial CIs -----------------
wald <- function(x, n) { p <- x / n; h <- z * sqrt(p * (1 - p) / n); c(max(0, p - h), min(1, p + h)) }
wilson <- function(x, n) unname(prop.test(x, n, correct = FALSE)$conf.int[1:2])
wilson_cc <- function(x, n) unname(prop.test(x, n, correct = TRUE)$conf.int[1:2])
clopper <- function(x, n) unname(binom.test(x, n)$conf.int[1:2])
agresti <- function(x, n) {
  nt <- n + z^2; pt <- (x + z^2 / 2) / nt; h <- z * sqrt(pt * (1 - pt) / nt)
  c(max(0, pt - h), min(1, pt + h))
}
jeffreys <- function(x, n) c(if (x == 0) 0 else qbeta(0.025, x + 0.5, n - x + 0.5),
                             if (x == n) 1 else qbeta(0.975, x + 0.5, n - x + 0.5))
methods <- list("clopper-pearson" = clopper, "wilson" = wilson, "wald" = wald,
                "agresti-coull" = agresti, "jeffreys" = jeffreys, "wilson-cc" = wilson_cc)

pooled <- function(s) {
  x <- sum(s$responders); n <- sum(s$n)
  list(k = nrow(s), trials = length(unique(s$trial)), events = x, n = n, proportion = x / n,
       clopper_pearson = clopper(x, n), wilson = wilson(x, n), wald = wald(x, n))
}

# --- Random effects: logit, REML, Hartung-Knapp (metafor), tight convergence ------------------
random_effects <- function(s) {
  fit <- rma(measure = "PLO", xi = s$responders, ni = s$n, method = "REML", test = "knha",
             control = list(threshold = 1e-12, maxiter = 1000))
  pr <- predict(fit, transf = transf.ilogit)
  list(k = fit$k, estimate_logit = unname(fit$b[1]), se_logit = fit$se, tau2 = fit$tau2,
       i2 = fit$I2, h2 = fit$H2, q = fit$QE, proportion = unname(pr$pred),
       ci = c(unname(pr$ci.lb), unname(pr$ci.ub)), pi = c(unname(pr$pi.lb), unname(pr$pi.ub)))
}

# --- Weighted median of cohort median PFS, weights n -----------------------------------------
# orrmeta's default rule, written out independently: sort by value, merge ties, take the first
# value whose cumulative weight reaches p of the total; the mean with the next value when the
# cumulative weight equals p of the total exactly.
cumulative_quantile <- function(v, w, p) {
  agg <- aggregate(w, by = list(v = v), FUN = sum)      # sorted unique values, summed weights
  cw <- cumsum(agg$x); target <- p * sum(w)
  j <- which(cw >= target)[1]
  if (cw[j] == target && j < nrow(agg)) (agg$v[j] + agg$v[j + 1]) / 2 else agg$v[j]
}
weighted_median <- function(s) {
  has <- !is.na(s$median_pfs_months)
  v <- s$median_pfs_months[has]; w <- s$n[has]; k <- length(v)
  delta <- min(0.5, z / (2 * sqrt(k)))                   # metamedian pool.med, norm.approx = TRUE
  probs <- c(0.5 - delta, 0.5, 0.5 + delta)
  cum <- sapply(probs, function(p) cumulative_quantile(v, w, p))
  int <- unname(wtd.quantile(v, weights = w, probs = probs))
  # Sensitivity bound (docs only): every cohort without a median placed above all reported ones.
  upper_bound <- cumulative_quantile(c(v, rep(Inf, sum(!has))), c(w, s$n[!has]), 0.5)
  list(k = k, n = sum(w), left_out = sum(!has), left_out_labels = s$study_id[!has],
       upper_bound_if_left_out_longest = upper_bound,
       sign_test_probabilities = probs[c(1, 3)],
       cumulative = list(median = cum[2], sign_test = cum[c(1, 3)]),
       interpolated = list(median = int[2], sign_test = int[c(1, 3)]))
}

subsets <- list(overall = d, naive = d[d$line == "naive", ], pretreated = d[d$line == "pretreated", ])
sourced <- lapply(names(subsets), function(nm) {
  s <- subsets[[nm]]
  out <- list(pooled = pooled(s), random_effects = random_effects(s))
  if (nm != "overall") out$weighted_median_pfs <- weighted_median(s)
  out
})
names(sourced) <- names(subsets)

# --- GRIM-style check of the published figures ----------------------------------------------
admits <- function(x, value, decimals) abs(x - value) <= 0.5 * 10^(-decimals) * (1 + 1e-9)
N <- 6382
xs <- 0:N
counts <- xs[admits(100 * xs / N, 58.5, 1)]
per_method <- lapply(methods, function(f) {
  counts[sapply(counts, function(x) { ci <- 100 * f(x, N); admits(ci[1], 57.3, 1) && admits(ci[2], 59.7, 1) })]
})
consistent <- sort(unique(unlist(per_method)))
representative <- consistent[which.min(abs(100 * consistent / N - 58.5))]

# Naive (71.8 %) and pretreated (48.4 %) partition the 6,382 patients; sizes not reported.
sol <- do.call(rbind, lapply(1:(N - 1), function(n1) {
  x1 <- (0:n1)[admits(100 * (0:n1) / n1, 71.8, 1)]
  if (!length(x1)) return(NULL)
  g <- expand.grid(x1 = x1, X = consistent)
  g$n1 <- n1; g$n2 <- N - n1; g$x2 <- g$X - g$x1
  g <- g[g$x2 >= 0 & g$x2 <= g$n2, ]
  g[admits(100 * g$x2 / g$n2, 48.4, 1), ]
}))
at_rep <- sol[sol$X == representative, ]
dist <- (100 * at_rep$x1 / at_rep$n1 - 71.8)^2 + (100 * at_rep$x2 / at_rep$n2 - 48.4)^2
best <- at_rep[order(dist, at_rep$n1, at_rep$x1)[1], ]

check <- list(
  pooled_orr = list(patients = N, percent_counts = counts, consistent_counts = consistent,
                    counts_by_method = per_method, representative = representative,
                    representative_intervals = lapply(methods, function(f) f(representative, N))),
  partition = list(solutions = nrow(sol), naive_patients = range(sol$n1), naive_events = range(sol$x1),
                   pretreated_patients = range(sol$n2), pretreated_events = range(sol$x2),
                   representative = list(total_events = best$X, naive = c(best$x1, best$n1),
                                         pretreated = c(best$x2, best$n2))))

# --- Synthetic cases: both weighted-quantile definitions at several probabilities ------------
probs <- c(0, 0.1, 0.25, 0.5, 0.737, 0.9, 1)
synthetic <- list(
  list(values = c(3, 1, 2, 2, 5), weights = c(1.5, 2, 0.5, 1, 3)),
  list(values = c(10, 20, 30, 40), weights = c(1, 1, 1, 1)),
  list(values = c(7.5, 2.2, 9.1), weights = c(0.2, 0.3, 0.4)),
  list(values = c(4, 4, 6, 8, 8, 9), weights = c(10, 20, 5, 5, 30, 30)),
  list(values = c(12.1, 3.4, 8.8, 8.8, 30.2, 1.0, 15.5), weights = c(120, 33, 61, 7, 250, 18, 95)))
synthetic <- lapply(synthetic, function(s) {
  c(s, list(probs = probs,
            cumulative = sapply(probs, function(p) cumulative_quantile(s$values, s$weights, p)),
            interpolated = unname(wtd.quantile(s$values, weights = s$weights, probs = probs))))
})

out <- list(
  generated_by = "Fixtures/alk-nsclc/expected.R",
  r_version = R.version.string,
  metafor_version = as.character(packageVersion("metafor")),
  hmisc_version = as.character(packageVersion("Hmisc")),
  sourced = sourced, check = check, synthetic_quantiles = synthetic)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(here, "expected.json"))
cat("wrote", file.path(here, "expected.json"), "\n")
