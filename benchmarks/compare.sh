#!/bin/bash
# compare.sh - time bootaudit against auditd's own tools on one audit log, and run
# the JMH benchmarks on the same log (see README.md here).
#
# Usage: benchmarks/compare.sh CORPUS_FILE [BIG_FILE]
#   BIG_FILE       a second, larger corpus (>= 1 GB): `bootaudit report` against `wc -l`
#                  over it, and bootaudit's peak RSS there (ausearch would take an hour)
#   RUNS=3         runs per tool; the median is reported (default 3)
#   JMH=0          skip the JMH benchmarks
#   JMH_OPTS=...   JMH options (default: -f 1 -wi 3 -i 5 -w 3s -r 4s)
#   LAUNCHER=1     time the repository's ./bootaudit launcher itself instead of a
#                  snapshot of its jar (see "bootaudit runs" below)
#   BOOTAUDIT_JAVA_OPTS   as for the launcher (which sets the defaults)
#
# Every tool reads the whole file and writes to /dev/null:
#   ausearch -if FILE -i                        every event, interpreted
#   aureport -if FILE -f -i                     the file report, interpreted
#   bootaudit events --until all FILE           every file event as JSON Lines
#   bootaudit report --until all FILE           the per-boot summary
#   wc -l FILE                                  the floor: reading the bytes once
# Wall time and peak RSS (maximum resident set size of the process: for bootaudit
# the whole JVM) come from GNU time (/usr/bin/time -f '%e %M'); the wall time is
# additionally taken with nanosecond resolution around it, and that is the one
# reported. The file is read once first (page cache) and bootaudit is run once
# first (it builds itself when needed), so no run pays for the disk or the build.
#
# bootaudit runs: the launcher rebuilds the jar whenever a source under
# core/rules/cli is newer than it, so a concurrent edit could trigger a build in
# the middle of the measurements. After the warm-up run, the jar is therefore
# copied aside (with its native/ directory) and timed through the launcher with
# BOOTAUDIT_JAR: the same JVM options and class-data-sharing archive, no staleness check.
set -euo pipefail
export LC_ALL=C

die() { echo "compare.sh: error: $*" >&2; exit 1; }
say() { echo "compare.sh: $*" >&2; }

[[ $# -eq 1 || $# -eq 2 ]] || die "usage: $0 CORPUS_FILE [BIG_FILE]"
FILE=$(readlink -f "$1")
[[ -f $FILE && -r $FILE ]] || die "no such file: $1"
BIG=
if [[ $# -eq 2 ]]; then
    BIG=$(readlink -f "$2")
    [[ -f $BIG && -r $BIG ]] || die "no such file: $2"
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
RUNS=${RUNS:-3}
JMH=${JMH:-1}
JMH_OPTS=${JMH_OPTS:--f 1 -wi 3 -i 5 -w 3s -r 4s}

for t in ausearch aureport java awk; do
    command -v "$t" >/dev/null 2>&1 || die "'$t' not found"
done
if [[ ! -x /usr/bin/time ]]; then
    say "installing GNU time (package 'time')"
    [[ $EUID -eq 0 ]] || die "/usr/bin/time missing; apt-get install time"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
fi

TMPD=$(mktemp -d /tmp/bootaudit-compare.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT

BYTES=$(stat -c %s "$FILE")
say "corpus: $FILE, $BYTES bytes, $(wc -l < "$FILE") lines"
cat "$FILE" > /dev/null                                   # page cache
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- warm-up/build
say "warm-up: bootaudit events (builds the CLI when needed)"
"$REPO/bootaudit" events --until all "$FILE" > /dev/null
if [[ ${LAUNCHER:-0} == 1 ]]; then
    BOOTAUDIT=("$REPO/bootaudit")
else
    cp "$REPO/cli/target/bootaudit.jar" "$TMPD/bootaudit.jar"
    cp -r "$REPO/cli/target/native" "$TMPD/native" 2>/dev/null || true
    BOOTAUDIT=(env BOOTAUDIT_JAR="$TMPD/bootaudit.jar" "$REPO/bootaudit")
    "${BOOTAUDIT[@]}" --version > /dev/null                  # trains its CDS archive once
fi

# ---------------------------------------------------------------- timing
# run NAME CMD...: one timed run; appends "seconds rss_kib" to $TMPD/NAME
run() {
    local name=$1 t0 t1 rc=0
    shift
    t0=$(date +%s%N)
    /usr/bin/time -f '%e %M' -o "$TMPD/time.out" "$@" > /dev/null 2> "$TMPD/err.out" || rc=$?
    t1=$(date +%s%N)
    if [[ $rc -ne 0 ]]; then
        # ausearch/aureport exit 1 when nothing matched; anything else is an error
        if [[ $name == au* && $rc -eq 1 ]]; then
            say "note: $name exited 1 (no matches?): $(head -c 200 "$TMPD/err.out")"
        else
            cat "$TMPD/err.out" >&2
            die "$name failed (exit $rc)"
        fi
    fi
    local rss
    rss=$(awk 'END { print $2 }' "$TMPD/time.out")
    awk -v a="$t0" -v b="$t1" -v r="$rss" 'BEGIN { printf "%.3f %d\n", (b - a) / 1e9, r }' >> "$TMPD/$name"
    say "  $name: $(tail -n 1 "$TMPD/$name" | awk '{ printf "%.3f s, %.1f MiB", $1, $2 / 1024 }')"
}

TOOLS=(ausearch aureport bootaudit-events bootaudit-report wc-l)
for ((r = 1; r <= RUNS; r++)); do
    say "round $r of $RUNS"
    run ausearch ausearch -if "$FILE" -i
    run aureport aureport -if "$FILE" -f -i
    run bootaudit-events "${BOOTAUDIT[@]}" events --until all "$FILE"
    run bootaudit-report "${BOOTAUDIT[@]}" report --until all "$FILE"
    run wc-l wc -l "$FILE"
done
if [[ -n $BIG ]]; then
    say "big corpus: $BIG, $(stat -c %s "$BIG") bytes"
    cat "$BIG" > /dev/null
    TOOLS+=(big-report big-events big-wc-l)
    for ((r = 1; r <= RUNS; r++)); do
        say "big corpus, round $r of $RUNS"
        run big-report "${BOOTAUDIT[@]}" report --until all "$BIG"
        run big-events "${BOOTAUDIT[@]}" events --until all "$BIG"
        run big-wc-l wc -l "$BIG"
    done
fi

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A SEC RSS
for t in "${TOOLS[@]}"; do
    SEC[$t]=$(awk '{ print $1 }' "$TMPD/$t" | median)
    RSS[$t]=$(awk '{ print $2 }' "$TMPD/$t" | sort -n | tail -n 1)   # worst of the runs
done

echo
echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(uname -r)  $(nproc) cores  $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "== load average before the timed runs: $LOAD0 (1/5/15 min; well above 0 means other work shared the $(nproc) cores: expect noise)"
echo "== corpus $FILE: $BYTES bytes ($(awk -v b="$BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }')), median of $RUNS runs, MB = 10^6 bytes"
[[ -z $BIG ]] || echo "== big corpus $BIG: $(stat -c %s "$BIG") bytes (big-* rows)"
printf '%-18s %10s %10s %14s\n' tool median_s MB/s peak_RSS_MiB
for t in "${TOOLS[@]}"; do
    b=$BYTES
    [[ $t != big-* ]] || b=$(stat -c %s "$BIG")
    awk -v t="$t" -v s="${SEC[$t]}" -v b="$b" -v r="${RSS[$t]}" \
        'BEGIN { printf "%-18s %10.3f %10.1f %14.1f\n", t, s, b / 1e6 / s, r / 1024 }'
done
echo
ratio() { awk -v a="${SEC[$1]}" -v b="${SEC[$2]}" 'BEGIN { printf "%.1f", a / b }'; }
# target LABEL A B MIN: A/B against a minimum (MIN) or, with MAX=..., a maximum
target() {
    awk -v l="$1" -v a="${SEC[$2]}" -v b="${SEC[$3]}" -v min="${4:-}" -v max="${MAX:-}" 'BEGIN {
        r = a / b
        if (min != "") printf "%-40s %8.1fx  (target >= %sx: %s)\n", l, r, min, (r >= min) ? "met" : "MISSED"
        else printf "%-40s %8.1fx  (target <= %sx: %s)\n", l, r, max, (r <= max) ? "met" : "MISSED"
    }'
}
target "ausearch -i / bootaudit events" ausearch bootaudit-events 100
target "ausearch -i / bootaudit report" ausearch bootaudit-report 100
echo "aureport -f -i / bootaudit events          $(ratio aureport bootaudit-events)x"
echo "aureport -f -i / bootaudit report          $(ratio aureport bootaudit-report)x"
echo "bootaudit events / wc -l                   $(ratio bootaudit-events wc-l)x"
for t in bootaudit-events bootaudit-report; do
    awk -v t="$t" -v r="${RSS[$t]}" 'BEGIN { printf "peak RSS %s: %.1f MiB (target <= 256 MiB: %s)\n", t, r / 1024, (r / 1024 <= 256) ? "met" : "MISSED" }'
done
if [[ -n $BIG ]]; then
    MAX=10 target "big: bootaudit report / wc -l" big-report big-wc-l
    echo "big: bootaudit events / wc -l              $(ratio big-events big-wc-l)x"
    for t in big-report big-events; do
        awk -v t="$t" -v r="${RSS[$t]}" 'BEGIN { printf "peak RSS %s: %.1f MiB (target <= 256 MiB: %s)\n", t, r / 1024, (r / 1024 <= 256) ? "met" : "MISSED" }'
    done
fi

# ---------------------------------------------------------------- JMH
if [[ $JMH == 1 ]]; then
    JAR=$REPO/benchmarks/target/benchmarks.jar
    if [[ ! -f $JAR ]]; then
        say "building $JAR"
        (cd "$REPO" && mvn -q -B -Pbench -Dmaven.test.skip=true -pl benchmarks -am package) || die "benchmarks build failed"
    fi
    cp "$JAR" "$TMPD/benchmarks.jar"
    say "JMH: $JMH_OPTS (single thread; log in $TMPD is removed at exit, copy kept in /tmp/bootaudit-jmh.log)"
    # shellcheck disable=SC2086  # JMH_OPTS is a word list
    java -jar "$TMPD/benchmarks.jar" $JMH_OPTS -t 1 \
        -jvmArgs "-Dbootaudit.bench.log=$FILE" \
        -rf json -rff "$TMPD/jmh.json" > /tmp/bootaudit-jmh.log 2>&1 \
        || { tail -n 30 /tmp/bootaudit-jmh.log >&2; die "JMH failed"; }
    echo
    echo "== JMH, single thread, input $FILE in memory ($BYTES bytes; concatenated up to >= 50 MiB if smaller)"
    printf '%-36s %10s %10s %12s\n' benchmark ops/s MB/s events/s
    if command -v jq >/dev/null 2>&1; then
        jq -r '.[] | [.benchmark, .primaryMetric.score, .secondaryMetrics.bytes.score, .secondaryMetrics.events.score] | @tsv' "$TMPD/jmh.json"
    else
        python3 -c 'import json,sys
for b in json.load(open(sys.argv[1])):
    s = b["secondaryMetrics"]
    print("\t".join(map(str, [b["benchmark"], b["primaryMetric"]["score"], s["bytes"]["score"], s["events"]["score"]])))' "$TMPD/jmh.json"
    fi | awk -F'\t' '{ n = $1; sub(/.*\.benchmarks\./, "", n); printf "%-36s %10.3f %10.1f %12.0f\n", n, $2, $3 / 1e6, $4 }
        /PipelineBenchmark/ { p = $3 / 1e6; e = $4 }
        END { if (p) printf "parse+classify single-thread: %.1f MB/s, %.0f events/s (target >= 550,000 events/s: %s)\n", p, e, (e >= 550000) ? "met" : "MISSED" }'
fi
