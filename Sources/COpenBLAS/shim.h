// Declarations only. Debian's libopenblas-dev ships <cblas.h> and the LAPACK symbols in
// libopenblas, but no <lapacke.h>, so the few Fortran LAPACK routines CreditSim calls are
// declared here with the reference-LAPACK calling convention (all arguments by pointer,
// hidden string lengths omitted since every character argument is one byte).
#ifndef CREDITSIM_COPENBLAS_SHIM_H
#define CREDITSIM_COPENBLAS_SHIM_H

#include <cblas.h>

/// Cholesky factorisation of a symmetric positive-definite matrix (column-major).
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);

/// Eigen-decomposition of a symmetric matrix by divide and conquer (column-major).
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork,
             int *info);

// openblas_set_num_threads / openblas_get_num_threads come from OpenBLAS's own cblas.h.

#endif
