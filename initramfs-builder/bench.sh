#!/bin/sh
# Benchmark (not a test): bootaudit against Debian's own tools on the real Debian initramfs,
# same machine, same run. Median of N runs, wall-clock, JVM start-up included.
#   inject:  bootaudit initramfs inject  vs  unmkinitramfs + cpio -o -H newc + zstd -9 repack
#   ls:      bootaudit initramfs ls      vs  lsinitramfs
# bootaudit runs through the repository's launcher (its JVM options and class-data-sharing
# archive) on JAR, without the launcher's staleness check and build. The runs are interleaved
# (one of each per round), so that load from elsewhere hits all of them alike.
# Usage: [RUNS=7] [JAR=FILE] initramfs-builder/bench.sh [IMAGE] (default: mkinitramfs for the
# first kernel in /lib/modules). Needs: mvn -pl cli -am package; initramfs-tools, cpio, zstd,
# auditd.
set -eu
cd "$(dirname "$0")/.."
jar=${JAR:-cli/target/bootaudit.jar}   # copy it (and cli/target/native) first if others may rebuild cli
runs=${RUNS:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
image=${1:-}
if [ -z "$image" ]; then
  image=$work/initrd.img
  mkinitramfs -o "$image" "$(ls /lib/modules | head -1)"
fi
case $jar in /*) ;; *) jar=$PWD/$jar ;; esac
export BOOTAUDIT_JAR="$jar"

now() { date +%s%N; }
median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_it() { # time_it NAME COMMAND...: appends the milliseconds of one run to $work/NAME.ms
  name=$1; shift
  rm -rf "$work/x" "$work/out.img" "$work/repack.img"
  t0=$(now); "$@" >/dev/null 2>&1 || { echo "bench: $name failed: $*" >&2; exit 1; }; t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >>"$work/$name.ms"
}
repack() {
  unmkinitramfs "$image" "$work/x"
  (cd "$work/x" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | zstd -q -9 -T0 > "$work/repack.img")
}
# The first run after a build makes the class-data-sharing archive; it is not timed with the rest.
t0=$(now); ./bootaudit --version >/dev/null; t1=$(now)
echo "first run (makes the class-data-sharing archive when missing): $(( (t1 - t0) / 1000000 )) ms"
for i in $(seq "$runs"); do
  time_it version ./bootaudit --version
  time_it inject ./bootaudit initramfs inject "$image" -o "$work/out.img"
  time_it repack repack
  time_it ls ./bootaudit initramfs ls "$image"
  time_it lsinitramfs lsinitramfs "$image"
done
version=$(median "$work/version.ms")
inject=$(median "$work/inject.ms")
pipeline=$(median "$work/repack.ms")
ls=$(median "$work/ls.ms")
lsi=$(median "$work/lsinitramfs.ms")
echo "image: $image ($(stat -c %s "$image") bytes), median of $runs runs, jar $BOOTAUDIT_JAR"
echo "start-up alone (bootaudit --version) ${version} ms"
echo "inject ${inject} ms; unmkinitramfs+cpio+zstd repack ${pipeline} ms; ratio $(awk "BEGIN {printf \"%.3f\", $inject/$pipeline}") (target <= 0.1)"
echo "ls ${ls} ms; lsinitramfs ${lsi} ms; ratio $(awk "BEGIN {printf \"%.3f\", $ls/$lsi}") (target <= 0.5)"
