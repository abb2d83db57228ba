# SPDX-License-Identifier: GPL-3.0-or-later
#
# metafor side of scripts/bench-compare: times the orrmeta-bench tasks with metafor on the
# datasets exported by `orrmeta-bench --export DIR` and writes one tab-separated line per task
# to stdout (task, method, dataset, k, operation, threads, min and median seconds per call,
# samples, calls per sample, subsets or resamples per call).
#
#   Rscript scripts/bench/metafor-bench.R DATA_DIR [quick]
#
# Timings are wall-clock (proc.time()[["elapsed"]]), minimum and median per call over samples
# of repeated calls; the GOSH and bootstrap tasks run fewer subsets / resamples than orrmeta
# (metafor would take hours for 10^6 REML subsets) and are compared per subset / resample.

suppressPackageStartupMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
quick <- length(args) >= 2 && args[2] == "quick"
cores <- parallel::detectCores()

read_data <- function(name) read.csv(file.path(dir, paste0(name, ".csv")))

# Calls f() in samples of n calls (n chosen so that a sample lasts about `target` seconds).
# Calls taking over a second get 3 samples of one call.
timeit <- function(f, samples = if (quick) 3 else 7, target = if (quick) 0.2 else 0.5, max_n = 1e5) {
  f()
  t0 <- proc.time()[["elapsed"]]; f(); once <- proc.time()[["elapsed"]] - t0
  if (once > 1) samples <- min(samples, 3)
  n <- max(1L, min(max_n, as.integer(target / max(once, 1e-6))))
  per <- numeric(samples)
  for (s in seq_len(samples)) {
    t0 <- proc.time()[["elapsed"]]
    for (i in seq_len(n)) f()
    per[s] <- (proc.time()[["elapsed"]] - t0) / n
  }
  list(min = min(per), median = median(per), samples = samples, n = n)
}

cat(sprintf("#metafor\t%s\t%s\n", as.character(packageVersion("metafor")), R.version.string))
add <- function(task, method, dataset, k, operation, t, threads = 1, per = 1) {
  cat(sprintf("%s\t%s\t%s\t%d\t%s\t%d\t%.17g\t%.17g\t%d\t%d\t%d\n", task, method, dataset, as.integer(k),
              operation, as.integer(threads), t$min, t$median, as.integer(t$samples), as.integer(t$n), as.integer(per)))
  flush(stdout())
}

# 1. One fit: rma(yi, vi, method = m) (metafor's defaults: z test, threshold 1e-5).
for (name in c("alk", "k10", "k66", "k1000")) {
  if (!file.exists(file.path(dir, paste0(name, ".csv")))) next
  d <- read_data(name)
  for (m in c("DL", "REML", "PM")) {
    t <- timeit(function() rma(d$yi, d$vi, method = m))
    add("fit", m, name, nrow(d), "rma()", t)
  }
}

# 1b. One GLMM fit: rma.glmm(measure = "PLO", xi, ni) (metafor's defaults: ML, nAGQ = 7).
for (name in c("alk", "k10", "k66")) {
  d <- read_data(name)
  t <- timeit(function() rma.glmm(measure = "PLO", xi = d$events, ni = d$n))
  add("fit_glmm", "GLMM", name, nrow(d), "rma.glmm()", t)
}

# 1c. Two-arm comparisons: rma.mh (OR, RR) and rma.peto on trials pairing cohort i (treatment)
# with cohort i + 1 (control, cyclically), as orrmeta-bench's fit_compare.
for (name in c("alk", "k10", "k66", "k1000")) {
  if (!file.exists(file.path(dir, paste0(name, ".csv")))) next
  d <- read_data(name)
  j <- c(seq_len(nrow(d))[-1], 1)
  ai <- d$events; n1i <- d$n; ci <- d$events[j]; n2i <- d$n[j]
  for (m in c("OR", "RR")) {
    t <- timeit(function() rma.mh(measure = m, ai = ai, n1i = n1i, ci = ci, n2i = n2i))
    add("fit_compare", paste("MH", m), name, nrow(d), "rma.mh()", t)
  }
  t <- timeit(function() rma.peto(ai = ai, n1i = n1i, ci = ci, n2i = n2i))
  add("fit_compare", "Peto OR", name, nrow(d), "rma.peto()", t)
  # rma.glmm (metafor's defaults: nAGQ = 7 for UM.FS) up to k = 100, as orrmeta-bench; CM.EL
  # needs the BiasedUrn package (skipped without it).
  if (nrow(d) <= 100) for (model in c("UM.FS", if (requireNamespace("BiasedUrn", quietly = TRUE)) "CM.EL")) {
    t <- suppressWarnings(timeit(function() rma.glmm(measure = "OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, model = model),
                                 samples = if (quick) 1 else 3, target = 0))
    add("fit_compare", paste("GLMM", model, "OR"), name, nrow(d), "rma.glmm()", t)
  }
}

d66 <- read_data("k66")

# 1c. Three-level REML fit at k = 66 in 41 trials (orrmeta-bench ThreeLevelBenchmarks: cohorts
# 1-50 in trials of two, 51-66 alone): rma.mv with metafor's defaults, then confint of both sigma^2.
d66$trial <- ifelse(seq_len(66) <= 50, (seq_len(66) - 1) %/% 2, 25 + seq_len(66) - 51)
d66$cohort <- seq_len(66)
t <- timeit(function() rma.mv(yi, vi, random = ~ 1 | trial/cohort, data = d66))
add("fit_three_level", "REML", "k66", 66, "rma.mv()", t)
t <- timeit(function() { r <- rma.mv(yi, vi, random = ~ 1 | trial/cohort, data = d66); confint(r, sigma2 = 1); confint(r, sigma2 = 2) },
            samples = if (quick) 1 else 3, target = 0)
add("fit_three_level_profile_ci", "REML", "k66", 66, "rma.mv() + confint(sigma2 = 1, 2)", t)

# 1d. Three-level binomial-normal GLMM at k = 66 in 41 trials (orrmeta-bench
# ThreeLevelGLMMBenchmarks, same trial layout): lme4's glmer with its defaults (Laplace, the only
# approximation lme4 offers for nested effects), against orrmeta's --nagq 1 fit and its default fit.
if (requireNamespace("lme4", quietly = TRUE)) {
  suppressPackageStartupMessages(library(lme4))
  t <- timeit(function() suppressWarnings(suppressMessages(
    lme4::glmer(cbind(events, n - events) ~ 1 + (1 | trial/cohort), data = d66, family = binomial))))
  add("fit_glmm_three_level_laplace", "GLMM", "k66", 66, "lme4::glmer(nAGQ = 1)", t)
  # The same fit against orrmeta's default (nested adaptive quadrature, exact to 1e-8): glmer
  # offers only the Laplace approximation for nested effects, so this is its best available.
  add("fit_glmm_three_level", "GLMM", "k66", 66, "lme4::glmer(nAGQ = 1; no AGQ for nested effects)", t)
}

# 2. leave1out() + influence() at k = 66.
for (m in c("DL", "REML", "PM")) {
  res <- rma(d66$yi, d66$vi, method = m)
  t <- timeit(function() { leave1out(res); influence(res) }, samples = if (quick) 2 else 5, target = 0)
  add("leave1out_influence", m, "k66", 66, "leave1out() + influence()", t)
}

# 3. GOSH: random subsets on all cores (parallel = "multicore"), timed per subset.
gosh_n <- c(DL = if (quick) 2000 else 20000, REML = if (quick) 100 else 1000, PM = if (quick) 100 else 1000)
for (m in names(gosh_n)) {
  res <- rma(d66$yi, d66$vi, method = m)
  n <- gosh_n[[m]]
  t <- timeit(function() gosh(res, subsets = n, parallel = if (cores > 1) "multicore" else "no", ncpus = cores, progbar = FALSE),
              samples = if (quick) 1 else 3, target = 0)
  add("gosh_random", m, "k66", 66, paste(n, "random subsets"), t, threads = cores, per = n)
}

# 4. Bootstrap (no metafor function): B resamples of the k cohorts refitted with rma(), on all cores.
boot_n <- c(DL = if (quick) 200 else 1000, REML = if (quick) 100 else 500, PM = if (quick) 100 else 500)
for (m in names(boot_n)) {
  B <- boot_n[[m]]
  k <- nrow(d66)
  t <- timeit(function() {
    set.seed(1)
    parallel::mclapply(seq_len(B), function(b) {
      i <- sample.int(k, k, replace = TRUE)
      fit <- try(rma(d66$yi[i], d66$vi[i], method = m), silent = TRUE)
      if (inherits(fit, "try-error")) NA else c(fit$b[1], fit$tau2)
    }, mc.cores = cores)
  }, samples = if (quick) 1 else 3, target = 0)
  add("bootstrap", m, "k66", 66, paste(B, "resamples (mclapply + rma)"), t, threads = cores, per = B)
}

