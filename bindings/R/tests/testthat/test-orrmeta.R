# SPDX-License-Identifier: GPL-3.0-or-later

test_that("orr_pool on a data frame equals the CLI's JSON on the file, to the last bit", {
  d <- alk_data()
  r <- orr_pool(d, events = "responders", n = "n")
  expect_s3_class(r, "orrmeta_pool")
  ref <- cli_json("pool", alk_path(), "--events-column", "responders", "--n-column", "n")
  expect_identical(plain(r), plain(ref))
  expect_identical(r$pooled$proportion, ref$pooled$proportion)
  expect_equal(r$k, 61L)
  expect_identical(names(r), names(ref))
})

test_that("orr_pool on a path gives the CLI's JSON byte for byte", {
  r <- orr_pool(alk_path(), method = "DL", test = "knha", subgroup = "line", level = 0.9)
  res <- cli("pool", alk_path(), "--method", "DL", "--test", "knha", "--by", "line", "--level", "0.9", "--format", "json")
  expect_identical(orr_json(r), res$stdout)
  expect_identical(plain(r, file = NULL), plain(cli_json("pool", alk_path(), "--method", "DL", "--test", "knha", "--by", "line", "--level", "0.9"), file = NULL))
  expect_identical(r$input$file, alk_path())
  expect_identical(vapply(r$subgroups, function(g) g$name, ""), c("pretreated", "naive"))
  # the JSON's number, as printed, is the double in the object
  # (the first "proportion" after "pooled": the `common` block has one too)
  pooled <- substring(res$stdout, regexpr("\"pooled\" : \\{", res$stdout))
  token <- regmatches(pooled, regexpr("\"proportion\" : [-0-9.e+]+", pooled))
  expect_identical(sprintf("%.17g", r$pooled$proportion), sprintf("%.17g", as.numeric(sub(".*: ", "", token))))
})

test_that("metafor's rma(measure = 'PLO') agrees with orr_pool on the ALK fixture (1e-6 relative)", {
  skip_if_not_installed("metafor")
  d <- alk_data()
  ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
  m <- metafor::rma(measure = "PLO", xi = responders, ni = n, data = d, control = ctrl)
  r <- orr_pool(d, events = "responders", n = "n", measure = "PLO", method = "REML")
  rel <- function(a, b) abs(a - b) / abs(b)
  expect_lt(rel(r$model$estimate, as.numeric(m$b)), 1e-6)
  expect_lt(rel(r$model$se, m$se), 1e-6)
  expect_lt(rel(r$model$ci_lower, m$ci.lb), 1e-6)
  expect_lt(rel(r$model$ci_upper, m$ci.ub), 1e-6)
  expect_lt(rel(r$heterogeneity$tau2, m$tau2), 1e-6)
  expect_lt(rel(r$heterogeneity$i2, m$I2), 1e-6)
  expect_lt(rel(r$heterogeneity$q, m$QE), 1e-6)
  expect_lt(rel(r$pooled$proportion, metafor::transf.ilogit(as.numeric(m$b))), 1e-6)
  expect_lt(rel(coef(r)[["intrcpt"]], coef(m)[["intrcpt"]]), 1e-6)
  esc <- metafor::escalc(measure = "PLO", xi = responders, ni = n, data = d)
  expect_lt(max(abs(as.data.frame(r)$yi - as.numeric(esc$yi))), 1e-12)
})

test_that("orr_sensitivity, orr_regress and orr_pfs equal the CLI's JSON", {
  d <- alk_data()
  s <- orr_sensitivity(d, leave_one_out = TRUE, cumulative = TRUE, order_by = "n", bias = TRUE)
  expect_identical(plain(s), plain(cli_json("sensitivity", alk_path(), "--leave-one-out", "--cumulative", "--order-by", "n", "--bias")))
  expect_equal(nrow(as.data.frame(s)), 61L)
  expect_identical(as.data.frame(s, which = "cumulative")$estimate, vapply(s$cumulative, function(x) x$estimate, 0))
  all <- orr_sensitivity(alk_path())
  expect_identical(plain(all, NULL), plain(cli_json("sensitivity", alk_path(), "--all"), NULL))

  g <- orr_regress(d, mods = ~ line + factor(phase), test = "knha")
  ref <- cli_json("regress", alk_path(), "--mods", "line", "phase", "--categorical", "phase", "--test", "knha")
  expect_identical(plain(g), plain(ref))
  expect_identical(names(coef(g)), vapply(ref$meta_regression$coefficients, function(x) x$name, ""))
  expect_identical(unname(coef(g)), vapply(ref$meta_regression$coefficients, function(x) x$estimate, 0))

  p <- orr_pfs(d, subgroup = "line", bootstrap_replicates = 200, seed = 3)
  expect_identical(plain(p), plain(cli_json("pfs", alk_path(), "--by", "line", "--bootstrap-replicates", "200", "--seed", "3")))
  expect_identical(names(coef(p)), c("all", "pretreated", "naive"))
  expect_identical(as.data.frame(p)$weighted_median, unname(coef(p)))
})

test_that("orr_batch runs data frames and paths and returns each result as the CLI writes it", {
  d <- alk_data()
  b <- orr_batch(list(alk = d, naive = d[d$line == "naive", ]), test = "knha")
  expect_s3_class(b, "orrmeta_batch")
  expect_identical(b$status, 0L)
  expect_identical(b$summary$file, c("alk.csv", "naive.csv"))
  ref <- cli_json("pool", alk_path(), "--test", "knha")
  expect_identical(plain(b$results[["alk.csv"]][["default"]]), plain(ref))
  expect_identical(b$summary$proportion[1], ref$pooled$proportion)
  expect_identical(coef(b)[["alk.csv:default"]], ref$pooled$proportion)

  bad <- d
  bad$responders[3] <- bad$n[3] + 1L
  # a relative binary path still works when the batch runs in the data sets' directory
  rel <- file.path(tempfile("bin"), "orrmeta")
  dir.create(dirname(rel))
  file.symlink(orr_binary(), rel)
  owd <- setwd(dirname(dirname(rel)))
  old <- options(orrmeta.binary = file.path(basename(dirname(rel)), "orrmeta"))
  b1 <- orr_batch(list(alk = d))
  options(old)
  setwd(owd)
  expect_identical(b1$summary$proportion, orr_pool(alk_path())$pooled$proportion)
  expect_warning(b2 <- orr_batch(list(bad = bad, good = d)), "1 of 2")
  expect_identical(b2$status, 3L)
  expect_identical(b2$summary$status, c("error", "ok"))
  expect_identical(b2$errors$line, "4")
})

test_that("errors of the binary become R errors with the same message and its exit status", {
  missing <- file.path(tempdir(), "no such file.csv")
  res <- cli("pool", missing, "--format", "json")
  e <- tryCatch(orr_pool(missing), error = function(e) e)
  expect_s3_class(e, "orrmeta_error")
  expect_identical(conditionMessage(e), sub("\\s+$", "", res$stderr))
  expect_identical(e$status, 66L)
  expect_match(conditionMessage(e), "^orrmeta: error: ")

  d <- alk_data()
  d$n[5] <- -1L
  e <- tryCatch(orr_pool(d), error = function(e) e)
  expect_identical(e$status, 65L)
  expect_match(conditionMessage(e), ":6: column 'n'", fixed = TRUE)

  e <- tryCatch(orr_pool(alk_path(), level = 5), error = function(e) e)
  expect_identical(e$status, 64L)
  expect_match(conditionMessage(e), "level", fixed = TRUE)
  expect_error(orr_pool(alk_path(), method = "GLMM", measure = "PFT"), "GLMM")
})

test_that("arguments map to flags with metafor's and meta's names", {
  f <- orrmeta:::.orr_flags
  expect_identical(f(list(events = "x", n = "m", subgroup = "line", level = 0.95, leave_one_out = TRUE, bias = FALSE,
                          mods = c("a", "b"), sm = "PLOGIT", method.tau = "DL", studlab = "id", add = 0.1)),
                   c("--events-column", "x", "--n-column", "m", "--by", "line", "--level", "0.95", "--leave-one-out",
                     "--mods", "a", "b", "--measure", "PLO", "--method", "DL", "--label-column", "id", "--add", "0.1"))
  expect_identical(f(list(add = 1 / 3)), c("--add", "0.33333333333333331"))
  expect_identical(f(list(cluster = "trial", order_by = "n", bootstrap = 2000L)),   # flags pass through by name
                   c("--cluster", "trial", "--order-by", "n", "--bootstrap", "2000"))
  expect_error(f(list(subgroup = "a", by = "b")), "same flag --by")
  expect_error(f(list(output = "x.json")), "set by the R front end")
  expect_error(f(list("DL")), "named")
})

test_that("paths with spaces, quotes and shell characters reach the binary unchanged", {
  dir <- tempfile("orr dir ")
  dir.create(dir)
  on.exit(unlink(dir, recursive = TRUE))
  odd <- file.path(dir, "a b'c\"$(echo x);`d`.csv")
  file.copy(alk_path(), odd)
  r <- orr_pool(odd, label = "study_id")
  expect_identical(r$input$file, odd)
  expect_identical(plain(r), plain(cli_json("pool", alk_path(), "--label-column", "study_id")))
})

test_that("print, summary, as.data.frame and coef read the result", {
  r <- orr_pool(alk_data(), subgroup = "line")
  out <- capture.output(print(r))
  expect_true("Number of studies: k = 61" %in% out)
  expect_true(any(grepl(sprintf("Random effects model +%.4f +\\[%.4f; %.4f\\]", r$pooled$proportion, r$pooled$ci_lower,
                                r$pooled$ci_upper), out)))
  expect_true(any(grepl("- Restricted maximum likelihood (REML)", out, fixed = TRUE)))
  expect_true(any(grepl("Test for subgroup differences", out)))
  sm <- capture.output(summary(r))
  expect_true(any(grepl("PROFILE1001_crizotinib", sm)))
  df <- as.data.frame(r)
  expect_identical(nrow(df), 61L)
  expect_identical(df$yi, vapply(r$studies, function(s) s$yi, 0))
  expect_identical(coef(r), c(intrcpt = r$model$estimate))
  expect_true(any(grepl("QM", capture.output(print(orr_regress(alk_path(), mods = "line"))))))
  so <- capture.output(print(orr_sensitivity(alk_path(), bias = TRUE)))
  expect_true("Number of studies: k = 61" %in% so)
  expect_true(any(grepl("^  egger: statistic = ", so)))
  expect_false(any(grepl("NULL", so)))
  expect_true(any(grepl("naive", capture.output(print(orr_pfs(alk_path(), by = "line", bootstrap_replicates = 0))))))
})

test_that("the binary's version must equal the package's", {
  expect_identical(orr_version()$binary, as.character(utils::packageVersion("orrmeta")))
  fake <- tempfile("fake-orrmeta-")
  writeLines(c("#!/bin/sh", "echo 9.9.9"), fake)
  Sys.chmod(fake, "755")
  old <- options(orrmeta.binary = fake)
  on.exit(options(old))
  expect_error(orr_pool(alk_path()), "version 9.9.9 but the R package orrmeta is version")
})

test_that("orr_plot and orr_report write the CLI's SVG and HTML", {
  d <- alk_data()
  svg <- orr_plot(d, "forest", subgroup = "line", title = "ALK")
  on.exit(unlink(svg))
  ref <- tempfile(fileext = ".svg")
  on.exit(unlink(ref), add = TRUE)
  expect_identical(cli("plot", "forest", alk_path(), "--by", "line", "--title", "ALK", "--out", ref)$status, 0L)
  expect_identical(readLines(svg), readLines(ref))
  own <- file.path(tempdir(), "funnel plot.svg")
  expect_identical(orr_plot(alk_path(), "funnel", file = own, contours = TRUE), normalizePath(own))
  expect_match(paste(readLines(own), collapse = "\n"), "^<svg|<\\?xml")
  html <- orr_report(alk_path(), analyses = c("forest", "funnel"))
  expect_match(paste(readLines(html, warn = FALSE), collapse = "\n"), "<html", fixed = TRUE)
  e <- tryCatch(orr_plot(alk_path(), "gosh", method = "pooled"), error = function(e) e)
  expect_identical(e$status, 64L)
})
