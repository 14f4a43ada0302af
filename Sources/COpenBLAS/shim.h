// Declarations only. Debian's libopenblas-dev ships <cblas.h> and the LAPACK symbols in
// libopenblas, but no <lapacke.h>, so the few Fortran LAPACK routines CreditSim calls are
// declared here with the reference-LAPACK calling convention: every argument by pointer, and
// after the declared arguments one hidden length per CHARACTER argument, in order. gfortran
// passes these lengths by value as size_t from version 8 on (int before), which is what
// reference LAPACK's own <lapack.h> declares when LAPACK_FORTRAN_STRLEN_END is defined
// (the FORTRAN_STRLEN type). Omitting them works only by accident of the callee not reading
// them; callers pass 1 for each one-character argument.
#ifndef CREDITSIM_COPENBLAS_SHIM_H
#define CREDITSIM_COPENBLAS_SHIM_H

#include <stddef.h>
#include <cblas.h>

/// Cholesky factorisation of a symmetric positive-definite matrix (column-major).
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info,
             size_t uplo_len);

/// Eigen-decomposition of a symmetric matrix by divide and conquer (column-major).
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork,
             int *info, size_t jobz_len, size_t uplo_len);

// openblas_set_num_threads / openblas_get_num_threads come from OpenBLAS's own cblas.h.

#endif
