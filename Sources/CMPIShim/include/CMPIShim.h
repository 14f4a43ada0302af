// Functions around mpi.h's handles (MPI_COMM_WORLD, MPI_BYTE, MPI_SUM, …), which are macros that
// Swift cannot import, so that the MPI build of creditsim calls MPI through plain C functions.
#ifndef CMPISHIM_H
#define CMPISHIM_H
#include <stdint.h>

/// MPI_Init_thread with MPI_THREAD_FUNNELED (only the main thread calls MPI). Returns the error code.
int cmpi_init(void);
/// 1 when MPI_Init has run and MPI_Finalize has not.
int cmpi_active(void);
int cmpi_finalize(void);
int cmpi_rank(void);
int cmpi_size(void);
void cmpi_abort(int code);
int cmpi_barrier(void);
int cmpi_bcast(void *buffer, int64_t count, int root);
/// In-place allreduce over MPI_COMM_WORLD.
int cmpi_allreduce_sum_int64(int64_t *values, int count);
int cmpi_allreduce_max_int64(int64_t *values, int count);
int cmpi_allreduce_sum_double(double *values, int count);
#endif
