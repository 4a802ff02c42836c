#!/bin/bash
# record.sh - record REAL Linux audit logs of a fixed, deterministic file
# workload, as test fixtures for bootaudit.
#
# Usage: sudo record.sh [OUTDIR]      (default OUTDIR: this script's directory)
#   Writes OUTDIR/{raw,enriched,rotated,kernel}/ (see README.md).
#   VARIANTS="raw kernel" record.sh ...  records only the named variants.
#
# Needs root, a kernel with audit support, auditd/auditctl (Debian package
# "auditd", tested with 3.0.9) and dmesg. The system auditd must NOT be
# running and no audit rules may be loaded: this script owns the audit
# subsystem while it runs and restores it (no rules, enabled flag and
# backlog limit as before, no daemon) when it exits, also on failure.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RULES=$SCRIPT_DIR/workload.rules
W=/tmp/bootaudit-wl          # workload directory (fixed: tests assert these paths)
WL_AUID=4242                 # loginuid given to the workload shell; rules filter on it
BURST_AUID=4243              # loginuid of the rotated variant's burst helper (key "burst")
VARIANTS=${VARIANTS:-raw enriched rotated kernel}

die() { echo "record.sh: error: $*" >&2; exit 1; }
say() { echo "record.sh: $*" >&2; }
# shellcheck source=../lib/private-auditd.sh
. "$SCRIPT_DIR/../lib/private-auditd.sh"

# ---------------------------------------------------------------- checks
[[ $EUID -eq 0 ]] || die "must run as root (try: sudo $0 ${1:-})"
for t in auditd auditctl dmesg; do
    command -v "$t" >/dev/null 2>&1 \
        || die "required tool '$t' not found (Debian: apt-get install auditd util-linux)"
done
[[ -r $RULES ]] || die "rules file $RULES not found"
[[ -e /proc/self/loginuid ]] || die "/proc/self/loginuid missing: kernel lacks CONFIG_AUDIT(SYSCALL)"

OUTDIR=${1:-$SCRIPT_DIR}
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
[[ $OUTDIR != *[[:space:]]* ]] || die "OUTDIR must not contain whitespace (auditd.conf cannot quote it): $OUTDIR"

STATUS=$(auditctl -s 2>&1) || die "auditctl -s failed (no kernel audit support?): $STATUS"
ENABLED0=$(audit_status enabled)
BACKLOG0=$(audit_status backlog_limit)
[[ $ENABLED0 != 2 ]] || die "audit configuration is locked (enabled 2); reboot needed"
[[ $(audit_status pid) == 0 ]] \
    || die "an audit daemon (pid $(audit_status pid)) is connected; stop it first"
if command -v pgrep >/dev/null 2>&1 && pgrep -x auditd >/dev/null; then
    die "an auditd process is running; stop it first"
fi
[[ $(auditctl -l 2>&1) == "No rules" ]] \
    || die "audit rules are already loaded (auditctl -l); refusing to replace them"
[[ $(cat /proc/self/loginuid) != "$WL_AUID" ]] \
    || die "this shell already has loginuid $WL_AUID; run from another session"
# Can a fresh process set its loginuid? (fails if loginuid_immutable is set)
/bin/bash --noprofile --norc -c "echo $WL_AUID > /proc/self/loginuid" 2>/dev/null \
    || die "cannot write /proc/self/loginuid (loginuid immutable?)"

AUDITD_PID=
WL_PID=                      # rotated variant: the (possibly stopped) workload shell
# Fixed path (not mktemp) so auditd's own PROCTITLE is the same every run.
TMPD=/tmp/bootaudit-record
rm -rf "$TMPD"
mkdir -m 700 "$TMPD"

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM HUP
    auditctl -D >/dev/null 2>&1
    if [[ -n $WL_PID ]] && kill -0 "$WL_PID" 2>/dev/null; then
        kill -KILL "$WL_PID" 2>/dev/null; wait "$WL_PID" 2>/dev/null
    fi
    if [[ -n $AUDITD_PID ]] && kill -0 "$AUDITD_PID" 2>/dev/null; then
        kill -CONT "$AUDITD_PID" 2>/dev/null
        kill -TERM "$AUDITD_PID" 2>/dev/null
        local i
        for i in $(seq 50); do kill -0 "$AUDITD_PID" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$AUDITD_PID" 2>/dev/null && kill -KILL "$AUDITD_PID" 2>/dev/null
        wait "$AUDITD_PID" 2>/dev/null
    fi
    if [[ $(audit_status backlog_limit) != "$BACKLOG0" ]]; then
        auditctl -b "$BACKLOG0" >/dev/null 2>&1
    fi
    if [[ $(audit_status enabled) != "$ENABLED0" ]]; then
        auditctl -e "$ENABLED0" >/dev/null 2>&1
    fi
    rm -rf "$TMPD" "$W"
    [[ $rc -eq 0 ]] || say "FAILED (exit $rc); audit rules cleared, daemon stopped"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# --------------------------------------------------------------- workload
# Runs in a fresh /bin/bash (clean environment) that has first set its
# loginuid to 4242. Identical for all variants. The only variant-dependent
# part is the pause between steps 8 and 9 (rotated variant: the shell stops
# itself while record.sh rotates the log), done with bash builtins only
# (kill(2) is not audited by workload.rules), so it adds no records.
# Tool paths are spelled out as the default PATH resolves them on Debian 12.
workload() {
    set -eu
    umask 022
    local W=/tmp/bootaudit-wl
    # 1
    /usr/bin/mkdir $W/dir
    # 2 new file via shell redirect (bash: openat O_WRONLY|O_CREAT|O_TRUNC)
    printf hello > $W/dir/created.txt
    # 3 append to existing file (O_WRONLY|O_CREAT|O_APPEND)
    printf more >> $W/dir/created.txt
    # 4 exec + read
    /usr/bin/cat $W/dir/created.txt > /dev/null
    # 5 name with a space
    /usr/bin/touch "$W/dir/with space.txt"
    # 6 UTF-8 non-ASCII name
    printf x > "$W/dir/résumé-файл.txt"
    # 7 name that is not valid UTF-8
    printf x > "$W/dir/bad"$'\xff'".bin"
    # 8 relative path
    (cd $W/dir && /usr/bin/cat created.txt > /dev/null)
    # rotated variant: stop here; record.sh rotates the log, then SIGCONTs us
    if [[ -n ${WL_PAUSE:-} ]]; then kill -STOP $$; fi
    # 9 rename, then rename over an existing file
    /usr/bin/mv $W/dir/created.txt $W/dir/renamed.txt
    /usr/bin/mv "$W/dir/with space.txt" $W/dir/renamed.txt
    # 10 symlink, hard link
    /usr/bin/ln -s renamed.txt $W/dir/link
    /usr/bin/ln $W/dir/renamed.txt $W/dir/hard
    # 11 attributes
    /usr/bin/chmod 600 $W/dir/renamed.txt
    /usr/bin/chown 0:0 $W/dir/renamed.txt
    # 12 truncate
    /usr/bin/truncate -s 0 $W/dir/hard
    # 13 fifo
    /usr/bin/mkfifo $W/dir/fifo
    # 14 shell script (script -> /bin/sh -> dash, ld.so)
    $W/script.sh
    # 15 long argument (EXECVE a1_len= / a1[0]= a1[1]=)
    /bin/true "$(/usr/bin/head -c 12000 /dev/zero | /usr/bin/tr '\0' a)" second third
    # 16 failing open (ENOENT)
    /usr/bin/cat $W/missing 2>/dev/null || true
    # 17 deletes
    /usr/bin/rm $W/dir/renamed.txt $W/dir/link
    /usr/bin/rm $W/dir/fifo
    /usr/bin/mkdir $W/dir/empty && /usr/bin/rmdir $W/dir/empty
}

# Recreate $W (not recorded: rules are not loaded yet).
setup_workdir() {
    rm -rf "$W"
    mkdir -p "$W"
    printf '#!/bin/sh\necho hi > /tmp/bootaudit-wl/dir/from-script.txt\n' > "$W/script.sh"
    chmod 755 "$W/script.sh"
    : > "$W/burst.txt"     # read by the rotated variant's burst helper only
}

# Command that runs the workload as auid 4242 in a new audit session, from
# a clean environment (the function is passed as an exported bash function,
# so the shell's proctitle stays short and identical for every variant; the
# environment is not part of audit records). $1=pause: stop between 8 and 9.
workload_cmd() {
    local fn
    fn="() $(declare -f workload | tail -n +2)"
    WL_CMD=(env -i PATH=/usr/bin:/bin HOME=/ LC_ALL=C)
    [[ ${1:-} != pause ]] || WL_CMD+=(WL_PAUSE=1)
    WL_CMD+=("BASH_FUNC_workload%%=$fn" /bin/bash --noprofile --norc -c
        "echo $WL_AUID > /proc/self/loginuid && cd $W && workload")
}

run_workload() {
    workload_cmd
    "${WL_CMD[@]}"
}

# Rotated variant: run the workload until it stops itself after step 8.
# Then freeze auditd (SIGSTOP), let a helper shell (auid 4243, key "burst")
# open $W/burst.txt BURST_N times so that its records pile up unread, then
# SIGCONT auditd and, while it is still reading that backlog (in batches of
# 3 records), send SIGUSR1: the rotation is likely to fall inside one
# 4-record burst event (record_rotated retries if it did not). Then the
# workload continues (steps 9-17).
BURST_N=150
run_workload_rotating() { # LOGDIR SPIN
    local state i
    workload_cmd pause
    "${WL_CMD[@]}" &
    WL_PID=$!
    for i in $(seq 500); do
        state=$(awk '{print $3}' "/proc/$WL_PID/stat" 2>/dev/null) || die "workload exited before its pause"
        [[ $state == T ]] && break
        sleep 0.01
    done
    [[ $state == T ]] || die "workload did not reach its pause"
    settle "$1/audit.log"
    kill -STOP "$AUDITD_PID"
    env -i PATH=/usr/bin:/bin LC_ALL=C /bin/bash --noprofile --norc -c \
        "echo $BURST_AUID > /proc/self/loginuid && cd $W && for ((i = 0; i < $BURST_N; i++)); do : < burst.txt; done"
    kill -CONT "$AUDITD_PID"
    for ((i = 0; i < ${2:-0}; i++)); do :; done   # short delay (no fork)
    kill -USR1 "$AUDITD_PID"
    for i in $(seq 500); do [[ -e $1/audit.log.1 ]] && break; sleep 0.01; done
    [[ -e $1/audit.log.1 ]] || die "rotated: auditd did not rotate on SIGUSR1"
    settle "$1/audit.log"
    kill -CONT "$WL_PID"
    wait "$WL_PID"
    WL_PID=
}

load_rules() {
    # relative path: auditctl's own PROCTITLE in the log stays machine-independent
    (cd "$SCRIPT_DIR" && auditctl -R workload.rules >/dev/null)
    [[ $(auditctl -l | grep -c 'auid=4242') -ge 10 ]] || die "rules did not load"
}

write_env() { # DIR VARIANT FORMAT
    {
        echo "# facts about the machine and run that produced this fixture"
        echo "VARIANT=$2"
        echo "LOG_FORMAT=$3"
        echo "KERNEL=$(uname -r)"
        echo "MACHINE=$(uname -m)"
        echo "AUDITD_VERSION=$(auditctl -v 2>&1 | awk '{print $NF}')"
        echo "DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "WORKLOAD_DIR=$W"
        echo "WORKLOAD_AUID=$WL_AUID"
        echo "BIN_SH=$(readlink -f /bin/sh)"
        echo "RULES=workload.rules"
        if [[ $2 == kernel ]]; then
            echo "PRINTK_RATELIMIT=$(cat /proc/sys/kernel/printk_ratelimit)"
            echo "PRINTK_RATELIMIT_BURST=$(cat /proc/sys/kernel/printk_ratelimit_burst)"
        fi
    } > "$1/workload.env"
}

# ------------------------------------------------------------- auditd runs


record_auditd() { # VARIANT FORMAT [rotate]
    local dir=$OUTDIR/$1
    mkdir -p "$dir"
    rm -f "$dir"/audit.log "$dir"/audit.log.[0-9]* "$dir/workload.env"
    setup_workdir
    start_auditd "$dir/audit.log" "$2"
    load_rules
    if [[ ${3:-} == rotate ]]; then
        run_workload_rotating "$dir" "${ROTATE_SPIN:-0}"
    else
        run_workload
    fi
    settle "$dir/audit.log"
    auditctl -D >/dev/null
    settle "$dir/audit.log"
    stop_auditd
    tail -n 1 "$dir/audit.log" | grep -q '^type=DAEMON_END' \
        || die "$dir/audit.log does not end with DAEMON_END"
    chmod 755 "$dir"          # auditd makes its log directory 0700
    chmod 644 "$dir"/audit.log*
    write_env "$dir" "$1" "$2"
    say "$1: $(cat "$dir"/audit.log* | wc -l) lines in $(cd "$dir" && echo audit.log*)"
}

# serial of a record line: msg=audit(SECS.MS:SERIAL)
serial_of() { sed -n 's/.*msg=audit([0-9.]*:\([0-9]*\)).*/\1/p'; }

# Is one event (serial) split across audit.log.1 and audit.log?
rotation_split() { # DIR -> prints the split serial, fails if none
    local last first
    last=$(grep -v '^type=DAEMON_' "$1/audit.log.1" | tail -n 1 | serial_of)
    first=$(grep -v '^type=DAEMON_' "$1/audit.log" | head -n 1 | serial_of)
    [[ -n $last && $last == "$first" ]] && echo "$last"
}

record_rotated() {
    # Whether auditd is mid-event when SIGUSR1 arrives is a race; vary the
    # delay between SIGCONT and SIGUSR1 and retry until an event is split.
    local attempt=0 s ROTATE_SPIN
    for ROTATE_SPIN in 0 100 300 1000 0 100 300 1000; do
        attempt=$((attempt + 1))
        record_auditd rotated RAW rotate
        [[ -f $OUTDIR/rotated/audit.log.1 ]] || die "rotated: no audit.log.1 after SIGUSR1"
        if s=$(rotation_split "$OUTDIR/rotated"); then
            say "rotated: event serial $s is split across audit.log.1 and audit.log"
            return 0
        fi
        say "rotated: attempt $attempt did not split an event ($(grep -c . "$OUTDIR/rotated/audit.log.1") lines before the rotation); retrying"
    done
    say "rotated: WARNING: no event split across the rotation (kept last attempt)"
}

# -------------------------------------------------------------- kernel run
# No daemon: the kernel prints records with printk (rate limited by
# kernel.printk_ratelimit*, losses show as "kauditd_printk_skb: N callbacks
# suppressed" or "audit: audit_lost=..." lines).
record_kernel() {
    local dir=$OUTDIR/kernel marker
    mkdir -p "$dir"
    rm -f "$dir/dmesg.log" "$dir/workload.env"
    [[ $(audit_status pid) == 0 ]] || die "kernel: an audit daemon is connected"
    setup_workdir
    [[ $(audit_status enabled) == 1 ]] || auditctl -e 1 >/dev/null
    load_rules
    # Let the printk rate-limit window used up by the rule loading expire,
    # flush its "callbacks suppressed" report with one more config record,
    # then wait for a fresh window so the workload starts with a full burst.
    sleep 6
    auditctl -b 8192 >/dev/null
    sleep 6
    marker="bootaudit-record: workload start $$.$RANDOM"
    echo "$marker" > /dev/kmsg
    run_workload
    # Wait past the rate-limit interval; the next record (the CONFIG_CHANGE
    # of auditctl -D) makes the kernel print the suppressed-callbacks count.
    sleep 6
    auditctl -D >/dev/null
    sleep 1
    dmesg | awk -v m="$marker" 'found { print } index($0, m) { found = 1; n++ } END { exit n != 1 }' \
        > "$dir/dmesg.log" || die "kernel: start marker not found exactly once in dmesg"
    if [[ $(audit_status enabled) != "$ENABLED0" ]]; then auditctl -e "$ENABLED0" >/dev/null; fi
    chmod 644 "$dir/dmesg.log"
    write_env "$dir" kernel printk
    say "kernel: $(wc -l < "$dir/dmesg.log") lines, $(grep -c 'audit: type=' "$dir/dmesg.log" || true) audit records"
}

# ------------------------------------------------------------------- main
for v in $VARIANTS; do
    case $v in
        raw)      record_auditd raw RAW ;;
        enriched) record_auditd enriched ENRICHED ;;
        rotated)  record_rotated ;;
        kernel)   record_kernel ;;
        *)        die "unknown variant '$v' (raw enriched rotated kernel)" ;;
    esac
done
say "done: $OUTDIR"
