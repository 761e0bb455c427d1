#!/usr/bin/env bash
# Starts a one-node Slurm on 127.0.0.1 for gpuplan's Slurm tests: slurmctld + slurmd + munge, with four fake
# GPUs of type "fake" declared as GRES (empty files stand in for the devices), partitions "a100" and "h100" on the same node.
# Idempotent: running it again with everything up changes nothing; a daemon that is down is started again.
# Needs root and Debian's slurm-wlm and munge (.ci/run installs them). It writes /etc/slurm/slurm.conf only
# when there is none or the one there was written by this script (marked below): a real Slurm's is left alone.
set -euo pipefail

MARK="# written by gpuplan .ci/slurm-up.sh"
NODE=gpuplan-node
STATE=/var/lib/gpuplan-slurm
LOGS=/var/log/gpuplan-slurm
CONF=/etc/slurm/slurm.conf

if [ "$(id -u)" -ne 0 ]; then
  echo "slurm-up: must run as root (it writes /etc/slurm and starts daemons)" >&2
  exit 1
fi
for tool in slurmctld slurmd munged sbatch scontrol; do
  command -v "$tool" >/dev/null || { echo "slurm-up: $tool is missing: apt-get install -y slurm-wlm munge slurm-client" >&2; exit 1; }
done
if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
  echo "slurm-up: $CONF exists and was not written by this script: leaving this machine's Slurm alone" >&2
  exit 1
fi

mkdir -p "$STATE/ctld" "$STATE/d" "$LOGS" /etc/slurm /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
chmod 0755 /run/munge

cat > "$CONF.new" <<EOF
$MARK
ClusterName=gpuplan
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# a job whose dependency failed is cancelled at once instead of pending forever
DependencyParameters=kill_invalid_depend
# finished jobs stay visible to scontrol/squeue for 30 minutes (there is no accounting database here)
MinJobAge=1800
InactiveLimit=0
KillWait=5
SlurmdTimeout=60
SlurmdParameters=config_overrides
GresTypes=gpu
NodeName=$NODE NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 CPUs=8 RealMemory=4000 Gres=gpu:fake:4 State=UNKNOWN
PartitionName=a100 Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
PartitionName=h100 Nodes=$NODE MaxTime=INFINITE State=UP
EOF
cat > /etc/slurm/gres.conf.new <<EOF
$MARK
AutoDetect=off
NodeName=$NODE Name=gpu Type=fake File=$STATE/fake-gpu[0-3]
EOF
# gres/gpu drops a GPU without a device file; empty files stand in for the devices (nothing opens them)
touch "$STATE"/fake-gpu{0,1,2,3}
cat > /etc/slurm/cgroup.conf.new <<EOF
$MARK
# no cgroup confinement: proctrack/linuxproc and task/none track jobs (22.05 has no "disabled")
CgroupPlugin=cgroup/v1
CgroupAutomount=no
ConstrainCores=no
ConstrainRAMSpace=no
ConstrainDevices=no
EOF
changed=0
for f in "$CONF" /etc/slurm/gres.conf /etc/slurm/cgroup.conf; do
  if ! cmp -s "$f.new" "$f" 2>/dev/null; then mv "$f.new" "$f"; changed=1; else rm -f "$f.new"; fi
done

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

if ! munge -n </dev/null >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 1 20); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.5; done
fi
if [ "$changed" = 1 ] && running "$STATE/slurmctld.pid"; then
  kill "$(cat "$STATE/slurmctld.pid")" "$(cat "$STATE/slurmd.pid" 2>/dev/null)" 2>/dev/null || true
  sleep 2
fi
running "$STATE/slurmctld.pid" || slurmctld
for _ in $(seq 1 30); do scontrol ping >/dev/null 2>&1 && break; sleep 1; done
running "$STATE/slurmd.pid" || slurmd -N "$NODE"
for _ in $(seq 1 30); do
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null | head -n 1)
  case "$state" in idle*|mixed*|allocated*) break ;; down*|drain*) scontrol update NodeName="$NODE" State=RESUME || true ;; esac
  sleep 1
done
sinfo -h -N -o "slurm-up: node %N partition %P state %T gres %G" >&2
case "$(sinfo -h -n "$NODE" -o %T | head -n 1)" in
  idle*|mixed*|allocated*) exit 0 ;;
  *) echo "slurm-up: the node did not come up: see $LOGS/slurmctld.log and $LOGS/slurmd.log" >&2; exit 1 ;;
esac
