# SPDX-License-Identifier: GPL-3.0-or-later
#
# The one mapping from R arguments to orrmeta's command-line flags, and the temporary CSV a
# data frame is written to. Every orr_* function goes through .orr_command(); a new command of
# the binary is one function that calls it.

# R names that differ from the flag they mean: metafor's and meta's names where they mean what
# orrmeta's flag means. Every other name `a_b` (or `a.b`) becomes `--a-b`.
.orr_flag_aliases <- c(
  events = "events-column", event = "events-column", xi = "events-column",
  n = "n-column", ni = "n-column",
  label = "label-column", studlab = "label-column", slab = "label-column",
  orr = "orr-column",
  subgroup = "by", by = "by",
  method.tau = "method", sm = "measure",
  method.ci = "ci-method", ci_method = "ci-method",
  value = "value-column"
)

# meta's summary measures (sm) for proportions, as orrmeta's measure codes.
.orr_meta_sm <- c(PRAW = "PR", PLN = "PLN", PLOGIT = "PLO", PAS = "PAS", PFT = "PFT")

# Flags that take one value each and are repeated for several (`treat = c("a", "b")` gives
# `--treat a --treat b`); every other vector gives its values after one flag (`--mods a b`).
.orr_repeated_flags <- c("treat", "control")

# Flags the front end sets itself: the result is returned, not written.
.orr_reserved <- c("format", "output", "o", "out")

# Formats numbers so that the binary reads back exactly the same double: 15 significant
# digits when they round-trip, else 17 (R has no shortest round-trip formatter).
.orr_number <- function(x) {
  s <- sprintf("%.15g", x)
  exact <- is.na(x) | suppressWarnings(as.numeric(s)) == x
  s[!exact] <- sprintf("%.17g", x[!exact])
  s[is.na(x)] <- NA_character_
  s
}

.orr_value_strings <- function(name, value) {
  if (inherits(value, "formula")) stop(sprintf("orrmeta: argument '%s' does not take a formula", name), call. = FALSE)
  if (is.factor(value)) value <- as.character(value)
  if (is.numeric(value)) value <- .orr_number(value)
  value <- as.character(value)
  if (anyNA(value) || length(value) == 0L) {
    stop(sprintf("orrmeta: argument '%s' has no value (NA or empty)", name), call. = FALSE)
  }
  value
}

# Turns a named list of R arguments into flags: NULL and FALSE are left out, TRUE is a bare
# flag, a vector gives its values after one flag (for options that take several, e.g. --mods).
.orr_flags <- function(options) {
  if (length(options) == 0L) return(character())
  nms <- names(options)
  if (is.null(nms) || any(!nzchar(nms))) stop("orrmeta: every option must be named (e.g. method = \"DL\")", call. = FALSE)
  if (anyDuplicated(nms)) stop(sprintf("orrmeta: option '%s' is given twice", nms[anyDuplicated(nms)]), call. = FALSE)
  flags <- ifelse(nms %in% names(.orr_flag_aliases), .orr_flag_aliases[nms], gsub("[._]", "-", nms))
  clash <- duplicated(flags)
  if (any(clash)) {
    same <- nms[flags == flags[clash][1]]
    stop(sprintf("orrmeta: options %s mean the same flag --%s; give one", paste0("'", same, "'", collapse = " and "),
                 flags[clash][1]), call. = FALSE)
  }
  reserved <- flags %in% .orr_reserved
  if (any(reserved)) {
    stop(sprintf("orrmeta: option '%s' is set by the R front end (the result is returned as an object)",
                 nms[reserved][1]), call. = FALSE)
  }
  args <- character()
  for (i in seq_along(options)) {
    value <- options[[i]]
    if (is.null(value) || identical(value, FALSE)) next
    if (identical(value, TRUE)) {
      args <- c(args, paste0("--", flags[i]))
      next
    }
    if (nms[i] == "sm") {
      value <- toupper(as.character(value))
      value <- ifelse(value %in% names(.orr_meta_sm), .orr_meta_sm[value], value)
    }
    values <- .orr_value_strings(nms[i], value)
    if (flags[i] %in% .orr_repeated_flags) {
      args <- c(args, as.vector(rbind(paste0("--", flags[i]), values)))
    } else {
      args <- c(args, paste0("--", flags[i]), values)
    }
  }
  unname(args)
}

# Quotes a CSV field when it must be (RFC 4180).
.orr_csv_field <- function(x) {
  needs <- !is.na(x) & grepl("[\",\r\n]", x)
  x[needs] <- paste0("\"", gsub("\"", "\"\"", x[needs], fixed = TRUE), "\"")
  x[is.na(x)] <- ""
  x
}

.orr_csv_column <- function(x) {
  if (is.factor(x)) x <- as.character(x)
  if (is.logical(x)) x <- ifelse(x, "TRUE", "FALSE")
  if (is.numeric(x) && !is.integer(x)) x <- .orr_number(x)
  if (is.list(x)) stop("orrmeta: list columns cannot be written to a cohort CSV", call. = FALSE)
  enc2utf8(as.character(x))
}

# Writes a data frame as the cohort CSV the binary reads (UTF-8, LF, fields quoted only where
# needed, NA as an empty cell, numbers at full precision).
.orr_write_csv <- function(data, path) {
  if (!is.data.frame(data)) stop("orrmeta: data must be a data frame or the path of a CSV file", call. = FALSE)
  if (ncol(data) == 0L) stop("orrmeta: data has no columns", call. = FALSE)
  columns <- lapply(data, function(col) .orr_csv_field(.orr_csv_column(col)))
  header <- paste(.orr_csv_field(enc2utf8(names(data))), collapse = ",")
  rows <- if (nrow(data) > 0L) do.call(paste, c(columns, sep = ",")) else character()
  con <- file(path, open = "wb")
  on.exit(close(con))
  writeLines(c(header, rows), con, sep = "\n", useBytes = TRUE)
  invisible(path)
}

# The input file argument: a path is used as it is; a data frame is written to a temporary CSV
# (removed by the caller through `cleanup`).
.orr_input <- function(data, cleanup) {
  if (is.character(data) && length(data) == 1L && !is.na(data)) return(path.expand(data))
  if (!is.data.frame(data)) stop("orrmeta: data must be a data frame or the path of a CSV file", call. = FALSE)
  path <- tempfile("orrmeta-data-", fileext = ".csv")
  cleanup$files <- c(cleanup$files, path)
  .orr_write_csv(data, path)
  path
}

# Runs one analysis command on one input and returns its parsed JSON as an S3 object of class
# `orrmeta_<command>`. `options` are R arguments (named list) mapped by .orr_flags().
.orr_command <- function(command, data, options, class = command) {
  cleanup <- new.env(parent = emptyenv())
  cleanup$files <- character()
  on.exit(unlink(cleanup$files), add = TRUE)
  args <- c(command, .orr_input(data, cleanup), .orr_flags(options), "--format", "json")
  res <- .orr_run(args)
  .orr_result(res$stdout, class = class, args = args, stderr_warnings = res$warnings)
}

.orr_parse_json <- function(text) {
  jsonlite::fromJSON(text, simplifyVector = TRUE, simplifyDataFrame = FALSE, simplifyMatrix = FALSE)
}

.orr_result <- function(json, class, args, stderr_warnings = character()) {
  value <- .orr_parse_json(json)
  structure(value, class = c(paste0("orrmeta_", class), "orrmeta_result"),
            orrmeta_args = args, orrmeta_json = json, orrmeta_stderr = stderr_warnings)
}

# Drops NULL entries (arguments the caller did not give) from a list of options.
.orr_given <- function(...) {
  x <- list(...)
  x[!vapply(x, is.null, logical(1))]
}
