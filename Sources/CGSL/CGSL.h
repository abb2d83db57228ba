// Umbrella header for the GSL functions orrmeta uses. Includes only; defines nothing.
#pragma once
#include <gsl/gsl_errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
