# SPDX-License-Identifier: GPL-3.0-or-later
# orr_compare (orrmeta compare) against the CLI's JSON and metafor's rma.mh.

# dat.bcg (Colditz et al. 1994, metadat): BCG vaccine trials, tuberculosis cases among
# vaccinated (treatment) and unvaccinated (control), in the wide layout.
bcg_data <- function() {
  data.frame(
    study = c("Aronson 1948", "Ferguson & Simes 1949", "Rosenthal 1960", "Hart & Sutherland 1977",
              "Frimodt-Moller 1973", "Stein & Aronson 1953", "Vandiviere 1973", "TPT Madras 1980",
              "Coetzee & Berjak 1968", "Rosenthal 1961", "Comstock 1974", "Comstock & Webster 1969",
              "Comstock 1976"),
    era = c("early", "early", "late", "late", "late", "early", "late", "late", "late", "late", "late", "late", "late"),
    events_treat = c(4L, 6L, 3L, 62L, 33L, 180L, 8L, 505L, 29L, 17L, 186L, 5L, 27L),
    n_treat = c(123L, 306L, 231L, 13598L, 5069L, 1541L, 2545L, 88391L, 7499L, 1716L, 50634L, 2498L, 16913L),
    events_ctrl = c(11L, 29L, 11L, 248L, 47L, 372L, 10L, 499L, 45L, 65L, 141L, 3L, 29L),
    n_ctrl = c(139L, 303L, 220L, 12867L, 5808L, 1451L, 629L, 88391L, 7277L, 1665L, 27338L, 2341L, 17854L),
    stringsAsFactors = FALSE)
}

bcg_path <- function() {
  path <- tempfile("bcg-", fileext = ".csv")
  utils::write.csv(bcg_data(), path, row.names = FALSE)
  path
}

alk_arms <- c("--arm", "drug", "--trial", "trial", "--treat", "alectinib", "--treat", "brigatinib",
              "--treat", "lorlatinib", "--control", "crizotinib")

test_that("orr_compare on a wide data frame equals the CLI's JSON on the same table", {
  path <- bcg_path()
  on.exit(unlink(path))
  r <- orr_compare(bcg_data(), measure = "RR", method = "MH")
  expect_s3_class(r, "orrmeta_compare")
  ref <- cli_json("compare", path, "--measure", "RR", "--method", "MH")
  expect_identical(plain(r), plain(ref))
  expect_identical(r$input$layout, "wide")
  expect_equal(r$k, 13L)
  expect_identical(coef(r), c(intrcpt = ref$model$estimate))
  d <- as.data.frame(r)
  expect_identical(d$label, bcg_data()$study)
  expect_identical(d$effect, vapply(ref$trials, function(t) t$effect, 0))

  g <- orr_compare(bcg_data(), sm = "OR", method = "REML", test = "knha", subgroup = "era", level = 90)
  ref <- cli_json("compare", path, "--measure", "OR", "--method", "REML", "--test", "knha", "--by", "era", "--level", "90")
  expect_identical(plain(g), plain(ref))
  expect_identical(vapply(g$subgroups, function(s) s$name, ""), vapply(ref$subgroups, function(s) s$name, ""))
  out <- capture.output(print(g))
  expect_true(any(grepl("Random effects model", out, fixed = TRUE)))
  expect_true(any(grepl(formatC(ref$pooled$estimate, format = "f", digits = 4), out, fixed = TRUE)))
  expect_true(any(grepl("Results for subgroups", out, fixed = TRUE)))
})

test_that("orr_compare on the long ALK table (repeated treat) equals the CLI's JSON byte for byte", {
  treat <- c("alectinib", "brigatinib", "lorlatinib")
  r <- orr_compare(alk_path(), arm = "drug", trial = "trial", treat = treat, control = "crizotinib", measure = "RR")
  res <- cli(c("compare", alk_path(), alk_arms, "--measure", "RR", "--format", "json"))
  expect_identical(res$status, 0L)
  expect_identical(orr_json(r), res$stdout)
  expect_identical(r$input$layout, "long")
  expect_identical(sum(attr(r, "orrmeta_args") == "--treat"), 3L)

  f <- orr_compare(alk_data(), arm = "drug", trial = "trial", treat = treat, control = "crizotinib",
                   events = "responders", n = "n", method = "DL")
  ref <- cli_json(c("compare", alk_path(), alk_arms, "--events-column", "responders", "--n-column", "n", "--method", "DL"))
  expect_identical(plain(f), plain(ref))
  expect_gte(f$k, 2L)
  expect_identical(nrow(as.data.frame(f)), length(ref$trials))
  expect_output(print(f), "Number of studies: k = ")
  expect_output(print(summary(f)), "events_treat")
})

test_that("metafor's rma.mh(measure = 'RR') agrees with orr_compare(method = 'MH') (1e-6 relative)", {
  skip_if_not_installed("metafor")
  d <- bcg_data()
  m <- metafor::rma.mh(measure = "RR", ai = events_treat, n1i = n_treat, ci = events_ctrl, n2i = n_ctrl, data = d)
  r <- orr_compare(d, method = "MH", measure = "RR")
  rel <- function(a, b) abs(a - b) / abs(b)
  expect_lt(rel(r$model$estimate, as.numeric(m$b)), 1e-6)
  expect_lt(rel(coef(r)[["intrcpt"]], as.numeric(coef(m))), 1e-6)
  expect_lt(rel(r$model$se, m$se), 1e-6)
  expect_lt(rel(r$model$statistic, m$zval), 1e-6)
  expect_lt(rel(r$model$ci_lower, m$ci.lb), 1e-6)
  expect_lt(rel(r$model$ci_upper, m$ci.ub), 1e-6)
  expect_lt(rel(r$pooled$estimate, exp(as.numeric(m$b))), 1e-6)
  expect_lt(rel(r$heterogeneity$q, m$QE), 1e-6)
  expect_lt(rel(r$heterogeneity$i2, m$I2), 1e-6)
  expect_lt(rel(r$heterogeneity$q_p_value, m$QEp), 1e-6)
  expect_lt(max(abs(as.data.frame(r)$weight - unname(weights(m)))), 1e-9)
})

test_that("orr_compare errors are the binary's, with its exit status", {
  path <- bcg_path()
  on.exit(unlink(path))
  res <- cli("compare", path, "--method", "Peto", "--measure", "RR", "--format", "json")
  e <- tryCatch(orr_compare(path, method = "Peto", measure = "RR"), error = function(e) e)
  expect_s3_class(e, "orrmeta_error")
  expect_identical(e$status, 64L)
  expect_identical(conditionMessage(e), sub("\\s+$", "", res$stderr))

  d <- bcg_data()
  d$events_treat[3] <- 400L
  e <- tryCatch(orr_compare(d), error = function(e) e)
  expect_identical(e$status, 65L)
  expect_match(conditionMessage(e), ":4: events_treat = 400 is larger than n_treat = 231", fixed = TRUE)

  e <- tryCatch(orr_compare(alk_path(), arm = "drug", trial = "trial", treat = "no such drug", control = "crizotinib"),
                error = function(e) e)
  expect_s3_class(e, "orrmeta_error")
  expect_false(identical(e$status, 0L))
})

test_that("treat and control are repeated flags; other vectors follow one flag", {
  f <- orrmeta:::.orr_flags
  expect_identical(f(list(treat = c("a", "b"), control = "c", mods = c("x", "y"))),
                   c("--treat", "a", "--treat", "b", "--control", "c", "--mods", "x", "y"))
})
