#!/usr/bin/env bash
# What one record held by the kernel before auditd connects costs in kernel memory, measured:
# boots Debian's kernel in qemu (TCG) on a busybox initramfs with audit=1 and no auditd, loads one
# openat rule, opens a file N times (one event = SYSCALL, CWD, PATH, PROCTITLE and the EOE that
# auditd never writes: 5 records held), and compares the kernel's slab memory before and after.
#
# Usage: held-queue-memory.sh [N]    (default 20000 opens = 100,000 held records)
# Needs: busybox-static, cpio, qemu-system-x86, a kernel in /boot.
set -euo pipefail
n=${1:-20000}
records=$((n * 5))
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree"/{bin,dev,proc,sys,sbin}
cp /bin/busybox "$tree/bin/busybox"
ln -s busybox "$tree/bin/sh"
cp /usr/sbin/auditctl "$tree/sbin/"
for lib in $(ldd /usr/sbin/auditctl | awk '/=>/ {print $3} /^\t\/lib64\// {print $1}'); do
  mkdir -p "$tree$(dirname "$lib")" && cp -L "$lib" "$tree$lib"
done
mkdir -p "$tree/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$tree/lib64/"
cat >"$tree/init" <<INIT
#!/bin/sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
echo hello >/probe
slab() { /bin/busybox awk '/^Slab:/ {print \$2}' /proc/meminfo; }
/sbin/auditctl -a always,exit -F arch=b64 -S openat -F path=/probe >/dev/null
/bin/busybox sync; /bin/busybox sleep 1
before=\$(slab)
i=0
while [ \$i -lt $n ]; do read x </probe; i=\$((i + 1)); done
/bin/busybox sleep 2
after=\$(slab)
/sbin/auditctl -D >/dev/null
echo "held-queue: slab_kib_before=\$before slab_kib_after=\$after opens=$n"
/sbin/auditctl -s | /bin/busybox sed 's/^/held-queue: status /'
/bin/busybox poweroff -f
INIT
chmod 755 "$tree/init"
(cd "$tree" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) | gzip -1 >"$tree.img"
kernel=$(ls /boot/vmlinuz-* | sort -V | tail -n 1)
out=$(timeout 600 qemu-system-x86_64 -accel tcg -m 1024 -nographic -no-reboot -kernel "$kernel" -initrd "$tree.img" \
  -append "console=ttyS0 audit=1 audit_backlog_limit=$((records * 2)) panic=-1 quiet" </dev/null 2>&1 || true)
rm -f "$tree.img"
line=$(grep -a 'held-queue: slab' <<<"$out") || { echo "held-queue-memory.sh: the guest did not finish" >&2; echo "$out" | tail -20 >&2; exit 1; }
grep -a 'held-queue: status \(lost\|backlog_limit\)' <<<"$out"
before=$(sed 's/.*slab_kib_before=\([0-9]*\).*/\1/' <<<"$line")
after=$(sed 's/.*slab_kib_after=\([0-9]*\).*/\1/' <<<"$line")
awk -v b="$before" -v a="$after" -v r="$records" 'BEGIN {
  printf "held records: %d; kernel slab memory %d KiB -> %d KiB: %.0f bytes per held record\n", r, b, a, (a - b) * 1024 / r
  printf "so 65536 held records take ~%.0f MiB, 131072 ~%.0f MiB\n", (a - b) * 1024 / r * 65536 / 1048576, (a - b) * 1024 / r * 131072 / 1048576 }'
