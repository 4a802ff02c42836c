#!/bin/bash
# record-corpus.sh - record a REAL, large (default >= 135 MiB) Linux audit log on
# this machine, as the benchmark corpus for bootaudit (see README.md here).
#
# Usage: sudo benchmarks/record-corpus.sh [OUTDIR]     (default /tmp/bootaudit-corpus)
#   Writes OUTDIR/audit.log and OUTDIR/corpus.env.
#   TARGET_MB=200 record-corpus.sh ...   records until audit.log holds 200 MiB (default 135).
#   LOG_FORMAT=RAW record-corpus.sh ...  auditd's RAW format; the default is ENRICHED, as
#                                        it is auditd's own default log_format.
#   MAX_SECONDS=3600 ...                 gives up (non-zero exit) after that long.
#
# Keep the corpus out of the repository: it is large and machine-specific.
#
# How: a private auditd (own auditd.conf, log in OUTDIR, no plugins) is
# started in the foreground (-n) in the background of this script; syscall
# rules matching only loginuid (auid) 4243 are loaded; a workload subshell
# sets its own loginuid to 4243 and loops a boot-like mix (reading many
# library files, running many short commands, creating/renaming/deleting
# temporary files) until audit.log reaches TARGET_MB. Then the rules are
# deleted and auditd is stopped by pid. A trap clears the rules, stops the
# daemon and restores the kernel's audit settings on every exit, also on
# failure or Ctrl-C.
#
# Needs root, a kernel with audit support and Debian's auditd package
# (tested with 3.0.9). The system auditd must not be running, and no audit
# rules may be loaded.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C

OUTDIR=${1:-/tmp/bootaudit-corpus}
TARGET_MB=${TARGET_MB:-135}
LOG_FORMAT=${LOG_FORMAT:-ENRICHED}
MAX_SECONDS=${MAX_SECONDS:-2400}
WL_AUID=4243

die() { echo "record-corpus.sh: error: $*" >&2; exit 1; }
say() { echo "record-corpus.sh: $*" >&2; }
# shellcheck source=../samples/lib/private-auditd.sh
. "$(dirname "${BASH_SOURCE[0]}")/../samples/lib/private-auditd.sh"

# ---------------------------------------------------------------- checks
[[ $EUID -eq 0 ]] || die "must run as root"
for t in auditd auditctl; do
    command -v "$t" >/dev/null 2>&1 || die "'$t' not found (Debian: apt-get install auditd)"
done
[[ -e /proc/self/loginuid ]] || die "/proc/self/loginuid missing: kernel lacks CONFIG_AUDITSYSCALL"
[[ $TARGET_MB =~ ^[0-9]+$ && $TARGET_MB -ge 1 ]] || die "TARGET_MB must be a positive integer"
[[ $LOG_FORMAT == RAW || $LOG_FORMAT == ENRICHED ]] || die "LOG_FORMAT must be RAW or ENRICHED"


STATUS=$(auditctl -s 2>&1) || die "auditctl -s failed (no kernel audit support?): $STATUS"
ENABLED0=$(audit_status enabled)
BACKLOG0=$(audit_status backlog_limit)
[[ $ENABLED0 != 2 ]] || die "audit configuration is locked (enabled 2); reboot needed"
[[ $(audit_status pid) == 0 ]] || die "an audit daemon (pid $(audit_status pid)) is connected; stop it first"
if pgrep -x auditd >/dev/null; then die "an auditd process is running; stop it first"; fi
[[ $(auditctl -l 2>&1) == "No rules" ]] || die "audit rules are already loaded (auditctl -l); refusing to replace them"
[[ $(cat /proc/self/loginuid) != "$WL_AUID" ]] || die "this shell already has loginuid $WL_AUID"
/bin/bash --noprofile --norc -c "echo $WL_AUID > /proc/self/loginuid" 2>/dev/null \
    || die "cannot write /proc/self/loginuid (loginuid immutable?)"

mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
[[ $OUTDIR != *[[:space:]]* ]] || die "OUTDIR must not contain whitespace (auditd.conf cannot quote it)"
case "$OUTDIR/" in
    "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"/*) die "OUTDIR is inside the repository; use /tmp" ;;
esac
LOG=$OUTDIR/audit.log
rm -f "$LOG" "$LOG".[0-9]* "$OUTDIR/corpus.env"
AVAIL_MB=$(df -Pm "$OUTDIR" | awk 'NR == 2 { print $4 }')
[[ $AVAIL_MB -gt $((TARGET_MB * 2 + 600)) ]] || die "only $AVAIL_MB MiB free in $OUTDIR"

AUDITD_PID=
WL_PID=
TMPD=$(mktemp -d /tmp/bootaudit-corpus-run.XXXXXX)   # auditd.conf, plugin dir, workload dir

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM HUP
    auditctl -D >/dev/null 2>&1
    if [[ -n $WL_PID ]] && kill -0 "$WL_PID" 2>/dev/null; then
        kill -TERM -- "-$WL_PID" 2>/dev/null || kill -TERM "$WL_PID" 2>/dev/null
        wait "$WL_PID" 2>/dev/null
    fi
    if [[ -n $AUDITD_PID ]] && kill -0 "$AUDITD_PID" 2>/dev/null; then
        kill -TERM "$AUDITD_PID" 2>/dev/null
        local i
        for i in $(seq 100); do kill -0 "$AUDITD_PID" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$AUDITD_PID" 2>/dev/null && kill -KILL "$AUDITD_PID" 2>/dev/null
        wait "$AUDITD_PID" 2>/dev/null
    fi
    [[ $(audit_status backlog_limit) == "$BACKLOG0" ]] || auditctl -b "$BACKLOG0" >/dev/null 2>&1
    [[ $(audit_status enabled) == "$ENABLED0" ]] || auditctl -e "$ENABLED0" >/dev/null 2>&1
    rm -rf "$TMPD"
    [[ $rc -eq 0 ]] || say "FAILED (exit $rc); audit rules cleared, daemon stopped"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- auditd

load_rules() {
    local a="-F auid=$WL_AUID"
    auditctl -D >/dev/null
    auditctl -b 65536 >/dev/null
    # shellcheck disable=SC2086  # $a is two words on purpose
    {
        auditctl -a always,exit -F arch=b64 -S execve $a -k exec
        auditctl -a always,exit -F arch=b64 -S open,openat,creat $a -k open
        auditctl -a always,exit -F arch=b64 -S mkdir,mkdirat $a -k create
        auditctl -a always,exit -F arch=b64 -S unlink,unlinkat $a -k delete
        auditctl -a always,exit -F arch=b64 -S rename,renameat,renameat2 $a -k rename
        auditctl -a always,exit -F arch=b64 -S chmod,fchmodat $a -k attr
        auditctl -a always,exit -F arch=b64 -S clone,fork,vfork $a -k proc
    } >/dev/null
    [[ $(auditctl -l | grep -c "auid=$WL_AUID") -eq 7 ]] || die "rules did not load: $(auditctl -l)"
}


# --------------------------------------------------------------- workload
# Runs in a subshell whose first act is to set its loginuid to 4243: only it
# and its children match the rules. Each round is a boot-like mix:
#   - read a slice of 2000 files under /usr/lib (like services loading libraries, data and modules)
#   - run many short programs (exec + clone + the dynamic loader's opens)
#   - create, write, chmod, rename and delete temporary files and directories
workload() {
    set -eu
    echo "$WL_AUID" > /proc/self/loginuid
    local W=$TMPD/wl limit=$((TARGET_MB * 1024 * 1024)) round=0 files nfiles start size
    mkdir -p "$W"
    cd "$W"
    files=$W/files.txt
    find /usr/lib /usr/share/perl /usr/share/zoneinfo -maxdepth 3 -type f -readable 2>/dev/null > "$files"
    nfiles=$(wc -l < "$files")
    while :; do
        size=$(stat -c %s "$LOG")
        [[ $size -lt $limit ]] || break
        (( SECONDS < MAX_SECONDS )) || { echo "workload: time limit reached at $size bytes" >&2; exit 3; }
        kill -0 "$AUDITD_PID" 2>/dev/null || { echo "workload: auditd died" >&2; exit 4; }
        round=$((round + 1))
        # 1. bulk reads: a different 2000-file slice every round
        start=$(( (round * 2000) % nfiles + 1 ))
        sed -n "${start},$((start + 1999))p" "$files" | xargs -d '\n' cat > /dev/null 2>&1 || true
        # 2. many short commands, as unit start-up does
        for i in 1 2 3 4 5 6 7 8 9 10; do
            /bin/true
            /usr/bin/id -u > /dev/null
            /usr/bin/uname -r > /dev/null
            /bin/ls /etc > /dev/null
            /usr/bin/stat -c %s /etc/passwd > /dev/null
            /bin/grep -q root /etc/passwd
            /bin/sh -c 'test -r /etc/hostname && cat /etc/hostname > /dev/null'
            /usr/bin/env > /dev/null
            /usr/bin/sort /etc/services | /usr/bin/head -n 5 > /dev/null || true
            /bin/date +%s > /dev/null
        done
        /usr/bin/perl -MPOSIX -MFile::Temp -e 1 2>/dev/null || true
        /usr/bin/python3 -c 'import json, os.path' 2>/dev/null || true
        # 3. temporary files: create, write, chmod, rename, link, delete
        mkdir -p "run/$round/state"
        for i in 1 2 3 4 5 6 7 8 9 10; do
            printf 'pid=%s\n' "$round$i" > "run/$round/unit$i.pid"
            printf 'x' >> "run/$round/unit$i.pid"
            /bin/chmod 600 "run/$round/unit$i.pid"
            /bin/mv "run/$round/unit$i.pid" "run/$round/state/unit$i.pid"
            /bin/cp "run/$round/state/unit$i.pid" "run/$round/state/unit$i.bak"
            /bin/ln -sf "unit$i.pid" "run/$round/state/unit$i.link"
        done
        /usr/bin/find "run/$round" -name '*.bak' -delete
        /bin/rm -rf "run/$round"
        tmp=$(/bin/mktemp -d "$W/tmp.XXXXXX")
        /usr/bin/touch "$tmp/a" "$tmp/b"
        /bin/mv "$tmp/a" "$tmp/c"
        /bin/rm -r "$tmp"
    done
    echo "workload: $round rounds" >&2
}

# ------------------------------------------------------------------- main
LOST0=$(audit_status lost)
say "before: $(auditctl -s | tr '\n' ' ')"
say "recording into $LOG until it holds $TARGET_MB MiB (limit ${MAX_SECONDS}s)"
start_auditd "$LOG" "$LOG_FORMAT"
load_rules
T0=$SECONDS
set -m                        # the workload gets its own process group (for cleanup)
( workload ) &
WL_PID=$!
set +m
wl_rc=0
wait "$WL_PID" || wl_rc=$?
WL_PID=
[[ $wl_rc -eq 0 ]] || die "workload failed (exit $wl_rc)"
ELAPSED=$((SECONDS - T0))
settle "$LOG"
auditctl -D >/dev/null
settle "$LOG"
LOST1=$(audit_status lost)
say "after:  $(auditctl -s | tr '\n' ' ')"
stop_auditd
tail -n 1 "$LOG" | grep -q '^type=DAEMON_END' || die "$LOG does not end with DAEMON_END"
chmod 755 "$OUTDIR"
chmod 644 "$LOG"

SIZE=$(stat -c %s "$LOG")
LINES=$(wc -l < "$LOG")
LOST=$((LOST1 - LOST0))
{
    echo "# facts about the machine and run that produced this corpus"
    echo "LOG_FORMAT=$LOG_FORMAT"
    echo "KERNEL=$(uname -r)"
    echo "MACHINE=$(uname -m)"
    echo "AUDITD_VERSION=$(auditctl -v 2>&1 | awk '{print $NF}')"
    echo "DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "WORKLOAD_AUID=$WL_AUID"
    echo "BYTES=$SIZE"
    echo "LINES=$LINES"
    echo "SECONDS=$ELAPSED"
    echo "LOST=$LOST"
} > "$OUTDIR/corpus.env"
say "wrote $LOG: $SIZE bytes ($((SIZE / 1048576)) MiB), $LINES lines in ${ELAPSED}s"
if [[ $LOST -eq 0 ]]; then
    say "lost delta: 0 (no records lost)"
else
    say "WARNING: lost delta: $LOST records were LOST by the kernel during the recording (backlog overflow); the corpus has gaps"
fi
