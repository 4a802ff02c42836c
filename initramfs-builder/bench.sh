#!/bin/sh
# Benchmark (not a test): bootaudit against Debian's own tools on the real Debian initramfs,
# same machine, same run. Median of N runs, wall-clock, JVM start-up included.
#   inject:  bootaudit initramfs inject  vs  unmkinitramfs + cpio -o -H newc + zstd -9 repack
#   ls:      bootaudit initramfs ls      vs  lsinitramfs
# Usage: initramfs-builder/bench.sh [IMAGE] (default: mkinitramfs for the first kernel in
# /lib/modules). Needs: mvn -pl cli -am package; initramfs-tools, cpio, zstd, auditd.
set -eu
cd "$(dirname "$0")/.."
jar=${JAR:-cli/target/bootaudit.jar}   # copy it first if others may rebuild cli meanwhile
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
image=${1:-}
if [ -z "$image" ]; then
  image=$work/initrd.img
  mkinitramfs -o "$image" "$(ls /lib/modules | head -1)"
fi

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_it() { # time_it NAME COMMAND...: prints median milliseconds
  name=$1; shift
  for i in $(seq "$runs"); do
    rm -rf "$work/x" "$work/out.img" "$work/repack.img"
    t0=$(now); "$@" >/dev/null 2>&1 || { echo "bench: $name failed: $*" >&2; exit 1; }; t1=$(now)
    echo $(( (t1 - t0) / 1000000 ))
  done | median
}
repack() {
  unmkinitramfs "$image" "$work/x"
  (cd "$work/x" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | zstd -q -9 -T0 > "$work/repack.img")
}
inject=$(time_it inject java -jar "$jar" initramfs inject "$image" -o "$work/out.img")
pipeline=$(time_it repack repack)
ls=$(time_it ls java -jar "$jar" initramfs ls "$image")
lsi=$(time_it lsinitramfs lsinitramfs "$image")
echo "image: $image ($(stat -c %s "$image") bytes), median of $runs runs"
echo "inject ${inject} ms; unmkinitramfs+cpio+zstd repack ${pipeline} ms; ratio $(awk "BEGIN {printf \"%.3f\", $inject/$pipeline}") (target <= 0.1)"
echo "ls ${ls} ms; lsinitramfs ${lsi} ms; ratio $(awk "BEGIN {printf \"%.3f\", $ls/$lsi}") (target <= 0.5)"
