#!/usr/bin/env bash
# Slurm for real: start a one-node cluster on localhost (Debian's slurm-wlm + munge, no
# systemd, no cgroups), run a job, check the job's own output, stop the daemons.
#
#   tests/integration/slurm_smoke.sh WORK_DIR train CONFIG [train.py options]
#   tests/integration/slurm_smoke.sh WORK_DIR compress CODEC SRC N [options]
#
# train: tools/slurm_train.sh with 2 CPU tasks for a few iterations of a config;
# compress: tools/slurm_compress_dataset.sh, an array of N tasks encoding SRC into
# WORK_DIR/latents, then its finalize check.
# Needs root (it installs packages when missing and starts daemons). PYTHON selects the
# interpreter of the tasks. Exit status 0 only if the job did its work (world size 2 and
# a checkpoint; every array task's shard and a passing finalize): srun exits 0 even when
# a step never launched.
set -euo pipefail
WORK=$(realpath -m "$1")
MODE=$2
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
trap 'exit 143' INT TERM HUP  # a killed run stops its daemons too
# daemons of an earlier smoke run that was killed before its cleanup (SIGKILL)
# hold the Slurm ports: stop them (only ours: their config lies under pytest's
# temporary folders)
pkill -f "^slurm(ctld|d) -f /tmp/pytest-of-[^ ]*/slurm/slurm.conf" 2>/dev/null || true

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

if [[ $MODE == compress ]]; then
    CODEC=$1 SRC=$2 N=$3
    shift 3
    CPUS_PER_TASK=1 SBATCH_ARGS="--overcommit" LOG_DIR="$WORK" \
        "$REPO/tools/slurm_compress_dataset.sh" smoke cdi-compress "$CODEC" "$SRC" \
        "$WORK/latents" "$N" --workers 1 "$@" > "$WORK/job.log" 2>&1 \
        || { tail -50 "$WORK/job.log"; cat "$WORK"/slurm_compress-*.log; exit 1; }
    DONE=$(date +%s.%N)
    for ((i = 0; i < N; i++)); do
        grep -qh "shard $i of $N done" "$WORK"/slurm_compress-*_"$i".log \
            || { echo "[slurm-smoke] array task $i did not encode its shard"; exit 1; }
    done
    grep -q '^encoded [0-9]* images' "$WORK/job.log" \
        || { echo "[slurm-smoke] finalize did not pass"; tail -20 "$WORK/job.log"; exit 1; }
    echo "[slurm-smoke] OK: array of $N tasks, $(grep '^encoded' "$WORK/job.log" | tail -1)," \
         "array job and finalize $(echo "$DONE - $UP" | bc) s"
    exit 0
fi
CONFIG=$1
shift
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
