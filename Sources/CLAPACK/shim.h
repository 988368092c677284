/* Bridge to OpenBLAS (CBLAS) and LAPACKE for the Swift core.
 * LAPACKE's complex type is made a plain struct so Swift imports it as one. */
#ifndef SSMKIT_CLAPACK_SHIM_H
#define SSMKIT_CLAPACK_SHIM_H

#define LAPACK_COMPLEX_CUSTOM
typedef struct { float re, im; } ssm_lapack_complex_float;
typedef struct { double re, im; } ssm_lapack_complex_double;
#define lapack_complex_float ssm_lapack_complex_float
#define lapack_complex_double ssm_lapack_complex_double

#include <cblas.h>
#include <lapacke.h>

#endif
