# SPDX-License-Identifier: GPL-3.0-or-later
library(testthat)
library(orrmeta)
test_check("orrmeta")
