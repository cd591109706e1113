#!/bin/sh
# A one-node SLURM cluster on this machine, for trying and testing the cluster
# profile (workflow/profiles/slurm) without a real cluster.
#
#   workflow/cluster/local-slurm.sh start    munge + slurmctld + slurmd, wait for the node
#   workflow/cluster/local-slurm.sh status   what runs (exit 0 when the cluster answers)
#   workflow/cluster/local-slurm.sh stop     stop the daemons this script started
#
# Needs root and Debian's slurm-wlm and munge packages. Writes only the standard
# system paths: /etc/slurm/slurm.conf, /etc/munge/munge.key (only if missing),
# /run/munge, /var/spool/slurmctld, /var/spool/slurmd, /var/spool/slurm-local (which
# daemons this script started) and /var/log/slurm. A slurm.conf this script did not
# write is never overwritten, and daemons it did not start are never stopped.
set -eu

NAME=local-slurm.sh
CONF=/etc/slurm/slurm.conf
MARK="# Written by workflow/cluster/local-slurm.sh (one-node cluster on localhost)."
KEY=/etc/munge/munge.key
RECORD=/var/spool/slurm-local
CTLD_SPOOL=/var/spool/slurmctld
SLURMD_SPOOL=/var/spool/slurmd
LOG_DIR=/var/log/slurm
PARTITION=local
# Finished jobs stay visible to squeue this long: the Snakemake executor reads job
# states with squeue when there is no accounting database.
MIN_JOB_AGE=600
# Seconds to wait for the node to register with the controller.
START_TIMEOUT=60

die() {
    echo "$NAME: $*" >&2
    exit 1
}

need_root() {
    [ "$(id -u)" = 0 ] || die "needs root (it writes /etc/slurm and starts system daemons); run it with sudo"
}

need_packages() {
    for tool in munged slurmctld slurmd sinfo; do
        command -v "$tool" >/dev/null 2>&1 \
            || die "$tool not found; install the packages: apt-get install slurm-wlm munge"
    done
}

# The pid a daemon's pid file names, when that process runs the daemon; else nothing.
running_pid() {
    [ -r "$2" ] || return 0
    named=$(cat "$2" 2>/dev/null || true)
    case $named in '' | *[!0-9]*) return 0 ;; esac
    [ "$(cat "/proc/$named/comm" 2>/dev/null || true)" = "$1" ] && echo "$named"
    return 0
}

daemon_pidfile() {
    case $1 in
        munged) echo /run/munge/munged.pid ;;
        slurmctld) echo "$CTLD_SPOOL/slurmctld.pid" ;;
        slurmd) echo "$SLURMD_SPOOL/slurmd.pid" ;;
    esac
}

write_config() {
    if [ -e "$CONF" ] && ! head -n 1 "$CONF" | grep -qxF "$MARK"; then
        die "$CONF exists and was not written by this script; not touching a site configuration"
    fi
    # What slurmd finds on this machine, so the node registers as configured.
    hardware=$(slurmd -C | head -n 1)
    cpus=$(echo "$hardware" | sed -n 's/.* CPUs=\([0-9]*\).*/\1/p')
    memory=$(echo "$hardware" | sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p')
    [ -n "$cpus" ] && [ -n "$memory" ] || die "cannot read CPUs and RealMemory from 'slurmd -C': $hardware"
    mkdir -p /etc/slurm
    tmp="$CONF.tmp.$$"
    cat >"$tmp" <<EOF
$MARK
ClusterName=localcluster
SlurmctldHost=localhost(127.0.0.1)
AuthType=auth/munge
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$CTLD_SPOOL
SlurmdSpoolDir=$SLURMD_SPOOL
SlurmctldPidFile=$(daemon_pidfile slurmctld)
SlurmdPidFile=$(daemon_pidfile slurmd)
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MinJobAge=$MIN_JOB_AGE
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=$PARTITION Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
    mv "$tmp" "$CONF"
}

# Start one daemon unless it runs; record it as ours only when this call started it.
start_daemon() {
    daemon=$1
    shift
    pidfile=$(daemon_pidfile "$daemon")
    if [ -n "$(running_pid "$daemon" "$pidfile")" ]; then
        return 0
    fi
    "$@" || die "$daemon did not start; see its log in $LOG_DIR or /var/log/munge"
    tries=0
    while [ -z "$(running_pid "$daemon" "$pidfile")" ]; do
        tries=$((tries + 1))
        [ "$tries" -le 50 ] || die "$daemon did not write $pidfile; see its log in $LOG_DIR or /var/log/munge"
        sleep 0.2
    done
    running_pid "$daemon" "$pidfile" >"$RECORD/$daemon.pid"
}

node_state() {
    sinfo --noheader --nodes=localhost --format=%T 2>/dev/null | head -n 1
}

# A node that takes jobs (a trailing * or ~ marks one that does not respond).
node_up() {
    case $1 in idle | mixed | allocated | completing) return 0 ;; *) return 1 ;; esac
}

start() {
    need_root
    need_packages
    write_config
    mkdir -p "$RECORD" "$CTLD_SPOOL" "$SLURMD_SPOOL" "$LOG_DIR" /run/munge
    chown munge:munge /run/munge
    if [ ! -s "$KEY" ]; then
        mungekey --create --keyfile="$KEY" || die "cannot create $KEY"
        chown munge:munge "$KEY"
        chmod 0400 "$KEY"
    fi
    start_daemon munged runuser -u munge -- munged
    start_daemon slurmctld slurmctld
    start_daemon slurmd slurmd -N localhost
    waited=0
    until state=$(node_state) && node_up "$state"; do
        waited=$((waited + 1))
        [ "$waited" -le "$START_TIMEOUT" ] \
            || die "node localhost is '${state:-unreachable}' after ${START_TIMEOUT} s; see $LOG_DIR/slurmctld.log and slurmd.log"
        sleep 1
    done
    echo "$NAME: cluster up: partition $PARTITION, node localhost ($state)"
}

stop() {
    need_root
    stopped=""
    # slurmd before slurmctld before munged: each needs the next to shut down cleanly.
    for daemon in slurmd slurmctld munged; do
        record="$RECORD/$daemon.pid"
        [ -r "$record" ] || continue
        pid=$(running_pid "$daemon" "$record")
        if [ -n "$pid" ]; then
            kill "$pid"
            tries=0
            while [ -d "/proc/$pid" ] && [ "$tries" -lt 100 ]; do
                tries=$((tries + 1))
                sleep 0.1
            done
            [ ! -d "/proc/$pid" ] || die "$daemon (pid $pid) did not stop within 10 s"
            stopped="$stopped $daemon"
        fi
        rm -f "$record"
    done
    echo "$NAME: stopped:${stopped:- nothing (no daemon started by this script runs)}"
}

status() {
    for daemon in munged slurmctld slurmd; do
        pid=$(running_pid "$daemon" "$(daemon_pidfile "$daemon")")
        if [ -z "$pid" ]; then
            echo "$daemon: not running"
        elif [ "$(cat "$RECORD/$daemon.pid" 2>/dev/null || true)" = "$pid" ]; then
            echo "$daemon: running (pid $pid, started by this script)"
        else
            echo "$daemon: running (pid $pid, not started by this script)"
        fi
    done
    state=$(node_state || true)
    if [ -n "$state" ]; then
        echo "node localhost: $state"
        node_up "$state" && return 0
    else
        echo "scheduler: not reachable (sinfo fails)"
    fi
    return 3
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) die "usage: $0 start|stop|status" ;;
esac
