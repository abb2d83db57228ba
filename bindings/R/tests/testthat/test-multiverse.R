# SPDX-License-Identifier: GPL-3.0-or-later
# orr_multiverse (orrmeta multiverse) against the CLI's JSON, and its rows against orr_pool.

test_that("orr_multiverse equals the CLI's JSON byte for byte, and its rows equal orr_pool", {
  r <- orr_multiverse(alk_path(), measures = c("PLO", "PFT"), methods = c("DL", "REML"), cluster = "trial",
                      reference = 0.585)
  expect_s3_class(r, "orrmeta_multiverse")
  res <- cli(c("multiverse", alk_path(), "--measures", "PLO", "PFT", "--methods", "DL", "REML", "--cluster", "trial",
               "--reference", "0.585", "--format", "json"))
  expect_identical(res$status, 0L)
  expect_identical(orr_json(r), res$stdout)
  # 2 x 2 x 2 two-level, 6 simple, GLMM, 2 x 1 x 2 three-level (REML only).
  expect_identical(length(r$specifications), 19L)
  expect_true("simple-pooling-ignores-heterogeneity" %in% vapply(r$flags, function(f) f$code, ""))
  d <- as.data.frame(r)
  expect_identical(nrow(d), 19L)
  expect_identical(d$proportion, vapply(r$specifications, function(s) s$proportion, 0))
  expect_identical(unname(coef(r)), d$proportion)
  expect_identical(names(coef(r))[1], "two-level PLO DL z")
  expect_identical(nrow(as.data.frame(r, which = "flags")), length(r$flags))
  out <- capture.output(print(r))
  expect_true(any(grepl("Multiverse: 19 specifications", out, fixed = TRUE)))
  expect_true(any(grepl("[simple-pooling-ignores-heterogeneity]", out, fixed = TRUE)))
  # A row through orr_pool with its pool_arguments: the same numbers.
  row <- r$specifications[[3]]
  p <- orr_pool(alk_data(), events = "responders", n = "n", measure = row$measure, method = row$method, test = row$test)
  expect_identical(p$pooled$proportion, row$proportion)
  expect_identical(p$pooled$ci_lower, row$ci_lower)
  expect_identical(p$heterogeneity$tau2, row$tau2)
})

test_that("orr_multiverse errors are the binary's", {
  e <- tryCatch(orr_multiverse(alk_path(), models = "three-level"), error = function(e) e)
  expect_s3_class(e, "orrmeta_error")
  expect_identical(e$status, 64L)
  expect_match(conditionMessage(e), "--cluster", fixed = TRUE)
})
