# Reference values for the GSLDistributions tests, from R's own distribution functions.
# Run from the repository root:  Rscript Fixtures/distributions/generate_distributions.R
# Writes Fixtures/distributions/expected.json (full double precision).
suppressMessages(library(jsonlite))
v <- list()
add <- function(dist, fn, params, x, value) v[[length(v) + 1]] <<- list(dist = dist, fn = fn, params = params, x = x, value = value)
for (x in c(-3, -1.96, 0, 0.5, 2.5, 8)) { add("normal", "cdf", list(mean = 0, sd = 1), x, pnorm(x)); add("normal", "survival", list(mean = 0, sd = 1), x, pnorm(x, lower.tail = FALSE)); add("normal", "pdf", list(mean = 0, sd = 1), x, dnorm(x)) }
for (x in c(-1, 0.3, 4)) { add("normal", "cdf", list(mean = 1.5, sd = 2), x, pnorm(x, 1.5, 2)); add("normal", "pdf", list(mean = 1.5, sd = 2), x, dnorm(x, 1.5, 2)) }
for (p in c(1e-10, 0.025, 0.5, 0.975, 0.999999)) { add("normal", "quantile", list(mean = 0, sd = 1), p, qnorm(p)); add("normal", "upperQuantile", list(mean = 0, sd = 1), p, qnorm(p, lower.tail = FALSE)) }
for (df in c(1, 2.5, 5, 65, 1000)) {
  for (x in c(-2.5, 0, 1.3, 12)) { add("t", "cdf", list(df = df), x, pt(x, df)); add("t", "survival", list(df = df), x, pt(x, df, lower.tail = FALSE)); add("t", "pdf", list(df = df), x, dt(x, df)) }
  for (p in c(0.001, 0.025, 0.5, 0.975)) { add("t", "quantile", list(df = df), p, qt(p, df)); add("t", "upperQuantile", list(df = df), p, qt(p, df, lower.tail = FALSE)) }
}
for (df in c(1, 3, 10.5, 60, 500)) {
  for (x in c(0.01, 1, 7.3, 60, 785.47)) { add("chisq", "cdf", list(df = df), x, pchisq(x, df)); add("chisq", "survival", list(df = df), x, pchisq(x, df, lower.tail = FALSE)); add("chisq", "pdf", list(df = df), x, dchisq(x, df)) }
  for (p in c(0.025, 0.5, 0.975)) { add("chisq", "quantile", list(df = df), p, qchisq(p, df)); add("chisq", "upperQuantile", list(df = df), p, qchisq(p, df, lower.tail = FALSE)) }
}
for (d in list(c(1, 5), c(3, 20), c(10, 2.5))) {
  for (x in c(0.1, 1, 4.2)) { add("f", "cdf", list(df1 = d[1], df2 = d[2]), x, pf(x, d[1], d[2])); add("f", "survival", list(df1 = d[1], df2 = d[2]), x, pf(x, d[1], d[2], lower.tail = FALSE)); add("f", "pdf", list(df1 = d[1], df2 = d[2]), x, df(x, d[1], d[2])) }
  for (p in c(0.05, 0.5, 0.95)) { add("f", "quantile", list(df1 = d[1], df2 = d[2]), p, qf(p, d[1], d[2])); add("f", "upperQuantile", list(df1 = d[1], df2 = d[2]), p, qf(p, d[1], d[2], lower.tail = FALSE)) }
}
for (ab in list(c(0.5, 0.5), c(3, 11), c(87, 57), c(3733, 2650), c(1, 1e6), c(5000, 5001), c(5001, 5000), c(999000, 1001), c(5e8, 5e8 + 1), c(1, 1e9))) {
  m <- ab[1] / sum(ab); s <- sqrt(prod(ab) / (sum(ab)^2 * (sum(ab) + 1)))
  for (x in unique(c(0.001, 0.3, 0.58, 0.9, m - s, m, m + 2 * s))) if (x > 0 && x < 1) { add("beta", "cdf", list(a = ab[1], b = ab[2]), x, pbeta(x, ab[1], ab[2])); add("beta", "survival", list(a = ab[1], b = ab[2]), x, pbeta(x, ab[1], ab[2], lower.tail = FALSE)) }
  for (p in c(0.025, 0.5, 0.975)) { add("beta", "quantile", list(a = ab[1], b = ab[2]), p, qbeta(p, ab[1], ab[2])); add("beta", "upperQuantile", list(a = ab[1], b = ab[2]), p, qbeta(p, ab[1], ab[2], lower.tail = FALSE)) }
  add("beta", "pdf", list(a = ab[1], b = ab[2]), 0.3, dbeta(0.3, ab[1], ab[2]))
}
for (np in list(c(10, 0.3), c(143, 0.6), c(6382, 0.585))) {
  for (k in unique(round(c(0, 1, np[1] * np[2], np[1] - 1, np[1])))) { add("binomial", "pmf", list(n = np[1], p = np[2]), k, dbinom(k, np[1], np[2])); add("binomial", "cdf", list(n = np[1], p = np[2]), k, pbinom(k, np[1], np[2])); add("binomial", "survival", list(n = np[1], p = np[2]), k, pbinom(k, np[1], np[2], lower.tail = FALSE)) }
  for (p in c(0.025, 0.5, 0.975)) add("binomial", "quantile", list(n = np[1], p = np[2]), p, qbinom(p, np[1], np[2]))
}
out <- list(generator = "Fixtures/distributions/generate_distributions.R", R_version = R.version.string, values = v)
write_json(out, "Fixtures/distributions/expected.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
