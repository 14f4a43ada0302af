#include "CMPIShim.h"

// Without the MPI trait this target is still compiled by a plain `swift build` (nothing links
// it): there every function reports a single process, and mpi.h is not needed.
#ifdef CREDITSIM_MPI
#include <mpi.h>

int cmpi_init(void) {
    int provided = 0;
    return MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
}

int cmpi_active(void) {
    int initialized = 0, finalized = 0;
    MPI_Initialized(&initialized);
    MPI_Finalized(&finalized);
    return initialized && !finalized;
}

int cmpi_finalize(void) { return MPI_Finalize(); }

int cmpi_rank(void) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

int cmpi_size(void) {
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

void cmpi_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }

int cmpi_barrier(void) { return MPI_Barrier(MPI_COMM_WORLD); }

int cmpi_bcast(void *buffer, int64_t count, int root) {
    return MPI_Bcast(buffer, (int)count, MPI_BYTE, root, MPI_COMM_WORLD);
}

int cmpi_allreduce_sum_int64(int64_t *values, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
}

int cmpi_allreduce_max_int64(int64_t *values, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_INT64_T, MPI_MAX, MPI_COMM_WORLD);
}

int cmpi_allreduce_sum_double(double *values, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}

#else
int cmpi_init(void) { return 1; }
int cmpi_active(void) { return 0; }
int cmpi_finalize(void) { return 0; }
int cmpi_rank(void) { return 0; }
int cmpi_size(void) { return 1; }
void cmpi_abort(int code) { (void)code; }
int cmpi_barrier(void) { return 0; }
int cmpi_bcast(void *b, int64_t c, int r) { (void)b; (void)c; (void)r; return 0; }
int cmpi_allreduce_sum_int64(int64_t *v, int c) { (void)v; (void)c; return 0; }
int cmpi_allreduce_max_int64(int64_t *v, int c) { (void)v; (void)c; return 0; }
int cmpi_allreduce_sum_double(double *v, int c) { (void)v; (void)c; return 0; }
#endif
