#!/usr/bin/env bash
# Boots Debian's kernel in qemu (TCG) on a minimal busybox initramfs compressed with COMPRESSION,
# injected by bootaudit (wrap mode), without a root disk: the original /init prints the rules the
# wrapper loaded and powers off. Shows that the kernel unpacks the segments bootaudit adds (the
# new /init is compressed like the image's last segment) and runs the wrapper first.
#
# Usage: mini-boot.sh OUTDIR gzip|xz|bzip2|zstd|lzma|lz4
#   OUTDIR gets: initrd.orig.img, initrd.img (injected), inject.txt, console.log
# Needs root-free tools only: busybox-static, cpio, the compressor, qemu-system-x86, a kernel.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:?usage: mini-boot.sh OUTDIR COMPRESSION}
comp=${2:?usage: mini-boot.sh OUTDIR COMPRESSION}
mkdir -p "$out"
out=$(cd "$out" && pwd)
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

mkdir -p "$tree"/{bin,dev,proc,sys}
cp /bin/busybox "$tree/bin/busybox"
ln -s busybox "$tree/bin/sh"
cat >"$tree/init" <<'INIT'
#!/bin/sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
echo "mini-boot: original init is pid $$"
/bootaudit/lib/ld-linux-x86-64.so.2 --library-path /bootaudit/lib /bootaudit/auditctl -l | /bin/busybox sed 's/^/mini-boot: rule /'
/bootaudit/lib/ld-linux-x86-64.so.2 --library-path /bootaudit/lib /bootaudit/auditctl -s | /bin/busybox sed 's/^/mini-boot: status /'
echo "mini-boot: done"
/bin/busybox poweroff -f
INIT
chmod 755 "$tree/init"
case $comp in
  gzip) squeeze=(gzip -9) ;;
  xz) squeeze=(xz --check=crc32) ;;
  bzip2) squeeze=(bzip2 -9) ;;
  zstd) squeeze=(zstd -q -19) ;;
  lzma) squeeze=(xz --format=lzma) ;;
  lz4) squeeze=(lz4 -l -9 -q) ;;
  *) echo "mini-boot.sh: unknown compression $comp" >&2; exit 2 ;;
esac
(cd "$tree" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) | "${squeeze[@]}" >"$out/initrd.orig.img"
"$repo/bootaudit" initramfs inject "$out/initrd.orig.img" -o "$out/initrd.img" >"$out/inject.txt" 2>&1

kernel=$(ls /boot/vmlinuz-* | sort -V | tail -n 1)
timeout 300 qemu-system-x86_64 -accel tcg -m 512 -nographic -no-reboot \
  -kernel "$kernel" -initrd "$out/initrd.img" \
  -append "console=ttyS0 audit=1 audit_backlog_limit=131072 panic=-1 quiet" \
  </dev/null >"$out/console.log" 2>&1 || true
grep -q "mini-boot: done" "$out/console.log" \
  || { echo "mini-boot.sh: the guest did not finish; see $out/console.log" >&2; exit 1; }
