#!/usr/bin/env bash
# Boots Debian's own kernel and initramfs, injected by bootaudit, in qemu (TCG), on a small root
# whose init does a known file workload, starts auditd and powers off; then reads the audit log
# back from the root image without mounting it.
#
# Usage: record-boot.sh OUTDIR [--no-audit-arg] [--mode MODE] [--initrd-tool TOOL]
#   OUTDIR gets: initrd.img (the injected image), root.img, console.log, audit.log
#   --no-audit-arg   boot without audit=1 (the negative control)
#   --mode MODE      injection mode passed to `bootaudit initramfs inject` (default: wrap)
#   --initrd-tool T  who builds the image: mkinitramfs (default, Debian's initramfs-tools),
#                    dracut (dracut's shell init) or dracut-systemd (dracut, systemd as /init)
# Needs root, and Debian's linux-image-amd64, initramfs-tools, qemu-system-x86, auditd,
# busybox-static, e2fsprogs (dracut-core for the dracut images). One boot takes about 40 s
# under TCG.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:?usage: record-boot.sh OUTDIR [--no-audit-arg] [--mode MODE]}
shift
audit_arg="audit=1 audit_backlog_limit=131072"
mode=wrap
tool=mkinitramfs
while (($#)); do
  case $1 in
    --no-audit-arg) audit_arg="" ;;
    --mode) mode=$2; shift ;;
    --initrd-tool) tool=$2; shift ;;
    *) echo "record-boot.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

kernel=$(ls /boot/vmlinuz-* | sort -V | tail -n 1)
version=${kernel#/boot/vmlinuz-}
initrd="$out/initrd.orig.img"
# the distribution's own initramfs for that kernel, as a user's VM has it (zstd on Debian 12)
dracut_modules="base rootfs-block udev-rules kernel-modules"
case $tool in
  mkinitramfs) mkinitramfs -o "$initrd" "$version" 2>/dev/null ;;
  dracut | dracut-systemd)
    [[ $tool == dracut-systemd ]] && dracut_modules+=" systemd systemd-initrd dracut-systemd"
    # only what this VM needs: a generic (--no-hostonly) image of every driver takes minutes
    dracut -q --no-hostonly --force --kver "$version" --modules "$dracut_modules" \
      --drivers "virtio_blk virtio_pci ext4" --compress zstd "$initrd" ;;
  *) echo "record-boot.sh: unknown initrd tool $tool" >&2; exit 2 ;;
esac

"$repo/bootaudit" initramfs inject "$initrd" -o "$out/initrd.img" --mode "$mode" >"$out/inject.txt"
# the real root gets the same rules as the initramfs, as augenrules would load them
"$repo/bootaudit" initramfs extract "$out/initrd.img" "$out/extracted" >/dev/null
rules=$(find "$out/extracted" -path '*bootaudit*' -name '*.rules' | head -n 1)
[[ -n $rules ]] || { echo "record-boot.sh: no rules file in the injected image" >&2; exit 1; }
"$here/make-root.sh" "$out/root.img" "$rules"
rm -rf "$out/extracted"

timeout 600 qemu-system-x86_64 -accel tcg -m 1024 -nographic -no-reboot \
  -kernel "$kernel" -initrd "$out/initrd.img" \
  -drive file="$out/root.img",format=raw,if=virtio \
  -append "console=ttyS0 root=/dev/vda rw $audit_arg panic=-1 init=/sbin/init" \
  </dev/null >"$out/console.log" 2>&1
grep -q "bootaudit-root: powering off" "$out/console.log" \
  || { echo "record-boot.sh: the guest did not finish; see $out/console.log" >&2; exit 1; }
debugfs -R "dump /var/log/audit/audit.log $out/audit.log" "$out/root.img" 2>/dev/null
[[ -s $out/audit.log ]] || { echo "record-boot.sh: no audit.log on the root image" >&2; exit 1; }
echo "record-boot.sh: $(wc -l <"$out/audit.log") lines in $out/audit.log" >&2
