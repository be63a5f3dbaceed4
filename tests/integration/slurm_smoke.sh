#!/usr/bin/env bash
# Slurm for real: start a one-node cluster on localhost (Debian's slurm-wlm + munge, no
# systemd, no cgroups), run tools/slurm_train.sh with 2 CPU tasks for a few iterations
# of a config, check the job's own output, stop the daemons.
#
#   tests/integration/slurm_smoke.sh WORK_DIR CONFIG [train.py options]
#
# Needs root (it installs packages when missing and starts daemons). PYTHON selects the
# interpreter of the tasks. Exit status 0 only if the job trained with world size 2 and
# wrote a checkpoint: srun exits 0 even when a step never launched.
set -euo pipefail
WORK=$(realpath -m "$1")
CONFIG=$2
shift 2
REPO=$(cd "$(dirname "$0")/../.." && pwd)
NODE=$(hostname -s)
STATE="$WORK/slurm"
START=$(date +%s.%N)

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "[slurm-smoke] installing slurm-wlm and munge"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null
fi
mkdir -p "$STATE/spool" "$STATE/ctld" /run/munge /etc/munge
[[ -s /etc/munge/munge.key ]] || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
chown -R munge:munge /run/munge /etc/munge
chmod 0700 /etc/munge && chmod 0400 /etc/munge/munge.key

cleanup() {
    for pid_file in "$STATE/slurmd.pid" "$STATE/slurmctld.pid" /run/munge/munged.pid; do
        [[ -s $pid_file ]] && kill "$(cat "$pid_file")" 2>/dev/null || true
    done
}
trap cleanup EXIT

# munged refuses to run as root with an insecure log file: run it as munge (its pid
# file goes to /run/munge, which /run/munge's owner can write)
runuser -u munge -- munged --force

export SLURM_CONF="$STATE/slurm.conf"
cat > "$SLURM_CONF" <<EOF
ClusterName=cdi-smoke
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$(getconf _NPROCESSORS_ONLN) State=UNKNOWN
PartitionName=smoke Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do
    sinfo -h -o %t 2>/dev/null | grep -qx idle && break
    sleep 0.2
done
sinfo -h -o %t | grep -qx idle || { echo "[slurm-smoke] node never became idle"; sinfo; exit 1; }
UP=$(date +%s.%N)
echo "[slurm-smoke] cluster up in $(echo "$UP - $START" | bc) s: $(sinfo -h -o '%P %D %t %c')"

NTASKS=2  # --overcommit lets 2 tasks share a 1-CPU node
GPUS=$NTASKS GPUS_PER_NODE=$NTASKS CPUS_PER_TASK=1 GRES= \
    SRUN_ARGS="--overcommit" MASTER_PORT=${MASTER_PORT:-29577} \
    "$REPO/tools/slurm_train.sh" smoke cdi-smoke "$CONFIG" "$WORK/train" "$@" \
    > "$WORK/job.log" 2>&1 || { tail -50 "$WORK/job.log"; exit 1; }
DONE=$(date +%s.%N)

# srun's status proves nothing: check what the job itself wrote
grep -q "GPU number: $NTASKS" "$WORK/job.log" \
    || { echo "[slurm-smoke] job did not run with $NTASKS ranks"; tail -50 "$WORK/job.log"; exit 1; }
[[ -s "$WORK/train/last_checkpoint" ]] \
    || { echo "[slurm-smoke] job wrote no checkpoint"; tail -50 "$WORK/job.log"; exit 1; }
echo "[slurm-smoke] OK: $NTASKS tasks, checkpoint $(cat "$WORK/train/last_checkpoint"), " \
     "training job $(echo "$DONE - $UP" | bc) s, total $(echo "$DONE - $START" | bc) s"
