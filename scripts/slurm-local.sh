#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the tests (tests/sh/slurm_real.sh) and for trying
# slurm/hebes.sbatch as a cluster user meets it: Debian's slurmctld and slurmd (slurm-wlm 22.05)
# with munge, every file of the cluster in one folder, listening on loopback only.
#   bash scripts/slurm-local.sh start DIR     starts munged (if none runs), slurmctld and slurmd;
#                                             prints the line to source: export SLURM_CONF=DIR/slurm.conf
#   bash scripts/slurm-local.sh stop DIR      stops the cluster's daemons (munged too, if it started it)
# As root (CI and the development machines): the daemons run as root, processes are tracked by
# their parent (proctrack/linuxproc) and bound to cores (task/affinity: the script's --cpu-bind=cores), no cgroups.
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1 dir=$2
case $cmd in start | stop) ;; *) usage ;; esac
stop() {
  for d in slurmd slurmctld munged; do
    [ -f "$dir/$d.pid" ] || continue
    pid=$(cat "$dir/$d.pid")
    kill "$pid" 2> /dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    rm -f "$dir/$d.pid"
  done
}
if [ "$cmd" = stop ]; then
  [ -d "$dir" ] || { echo "slurm-local: $dir: no such folder" >&2; exit 1; }
  stop
  exit 0
fi
for b in slurmctld slurmd munged sinfo; do
  command -v $b > /dev/null || { echo "slurm-local: $b not found: run scripts/install-deps.sh" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "slurm-local: run as root (the daemons run as root here)" >&2; exit 1; }
mkdir -p "$dir/state" "$dir/spool"
dir=$(cd "$dir" && pwd)
node=$(hostname -s)
cpus=$(env -u OMP_NUM_THREADS nproc)
cat > "$dir/slurm.conf" <<EOF
# written by scripts/slurm-local.sh: one node, $cpus CPUs, loopback only
ClusterName=hebes-local
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=${HEBES_SLURMCTLD_PORT:-6817}
SlurmdPort=${HEBES_SLURMD_PORT:-6818}
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobRequeue=1
KillWait=30
SlurmdTimeout=60
MinJobAge=600
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
export SLURM_CONF=$dir/slurm.conf
# munge: the authentication every Slurm message carries; one munged serves the machine
if ! pgrep -x munged > /dev/null; then
  mkdir -p /run/munge
  chown munge:munge /run/munge 2> /dev/null || true
  munged --force --pid-file="$dir/munged.pid" 2> "$dir/munged.err" ||
    { echo "slurm-local: munged did not start: $(cat "$dir/munged.err")" >&2; exit 1; }
fi
slurmctld -f "$SLURM_CONF" 2> "$dir/slurmctld.err" || { echo "slurm-local: slurmctld did not start (see $dir/slurmctld.log)" >&2; exit 1; }
slurmd -f "$SLURM_CONF" 2> "$dir/slurmd.err" || { echo "slurm-local: slurmd did not start (see $dir/slurmd.log)" >&2; stop; exit 1; }
for _ in $(seq 100); do # the node is up when sinfo says idle
  sinfo -h -o %T 2> /dev/null | grep -q '^idle' && { echo "export SLURM_CONF=$SLURM_CONF"; exit 0; }
  sleep 0.2
done
echo "slurm-local: the node did not come up within 20 s: $(sinfo -h -o '%T %E' 2>&1)" >&2
stop
exit 1
}
