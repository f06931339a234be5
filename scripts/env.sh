# Sourced by the scripts: what mpirun needs here.
# Open MPI refuses to run as root (CI and containers) unless told it is fine.
if [ "$(id -u)" -eq 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# Cores available to us; read before OMP_NUM_THREADS, which GNU nproc also obeys.
HEBES_CORES=$(env -u OMP_NUM_THREADS nproc)
export HEBES_CORES
# One thread per rank: no hidden BLAS/OpenMP threads competing with the ranks.
export OMP_NUM_THREADS=1
