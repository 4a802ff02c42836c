#!/usr/bin/env bash
# An admin's boot audit of a real Debian 12 VM, end to end: the VM's root (make-vm-root.sh), then
# `bootaudit enable --root ROOT --kernel-args`, then the distribution's own initramfs generator in
# a chroot (update-initramfs -u -k all, or dracut -f), then a boot in qemu (TCG) of the kernel and
# initramfs from the root's /boot with the command line from the root's etc/default/grub (as
# grub's 10_linux builds it), until the serial console's login prompt; then an ACPI power-down
# through the qemu monitor (systemd stops auditd cleanly), and the audit log directory read back
# off the disk image with debugfs (no mount).
#
# Usage: record-vm.sh OUTDIR [--flavor initramfs-tools|dracut] [--stock] [--cache DIR]
#                            [--settle SECONDS] [-- ENABLE_OPTION...]
#   --flavor  the root's initramfs generator (default initramfs-tools)
#   --stock   no bootaudit: the VM as installed (the boot-time baseline)
#   --append ARGS  more kernel arguments, after grub's (e.g. ima_policy=tcb)
#   --ima-policy FILE  an IMA policy the initramfs writes to the kernel in init-top (IMA's
#             `audit` rules make INTEGRITY_RULE records; initramfs-tools only)
#   --change PATH  append a line to PATH on the root before the boot: a file whose content
#             differs from an otherwise identical boot's (for diff and --baseline)
#   --cache   where the root's tar is kept between runs (default /var/tmp/bootaudit-vm-cache)
#   --settle  seconds to wait after the probe below before the power-down (default 5)
#   after --, options for `bootaudit enable` (e.g. --boot-only, --backlog N)
# OUTDIR gets: enable.txt, initramfs.txt, cmdline.txt, console.log, timing.txt, audit/ (the
# root's /var/log/audit), audit-status.txt (auditctl -s and the kernel's audit messages after the
# login prompt), dmesg.txt (the kernel log at the login prompt); the disk image is deleted unless
# KEEP_DISK=1.
# Needs root, and Debian's mmdebstrap, qemu-system-x86, e2fsprogs. About 2-3 minutes under TCG.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:?usage: record-vm.sh OUTDIR [--flavor F] [--stock] [--cache DIR] [--append ARGS] [-- ENABLE_OPTION...]}
shift
flavor=initramfs-tools
stock=0
append=
cache=/var/tmp/bootaudit-vm-cache
settle=5
ima_policy=
change=
enable_opts=()
while (($#)); do
  case $1 in
    --flavor) flavor=$2; shift ;;
    --stock) stock=1 ;;
    --cache) cache=$2; shift ;;
    --settle) settle=$2; shift ;;
    --append) append=$2; shift ;;
    --ima-policy) ima_policy=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
    --change) change=$2; shift ;;
    --) shift; enable_opts=("$@"); break ;;
    *) echo "record-vm.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
root="$out/root"
mon="$out/monitor"
qemu_pid=
cleanup() {
  for d in dev/pts dev sys proc; do mountpoint -q "$root/$d" 2>/dev/null && umount -l "$root/$d"; done
  [[ -n $qemu_pid ]] && kill "$qemu_pid" 2>/dev/null
  rm -rf "$root" "$mon.in" "$mon.out"
  [[ ${KEEP_DISK:-0} == 1 ]] || rm -f "$out/disk.img"
}
trap cleanup EXIT
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

tar=$("$here/make-vm-root.sh" "$flavor" "$cache")
rm -rf "$root" "$out/audit"
mkdir -p "$root"
tar -xf "$tar" -C "$root"

if [[ -n $change ]]; then
  echo "# changed by record-vm.sh --change" >>"$root$change"
  echo "changed: $change (a line appended)" >"$out/change.txt"
fi
if [[ -n $ima_policy ]]; then
  [[ $flavor == initramfs-tools ]] || { echo "record-vm.sh: --ima-policy needs initramfs-tools" >&2; exit 2; }
  # IMA takes one policy write per boot (CONFIG_IMA_WRITE_POLICY is off in Debian's kernel),
  # and the policy replaces ima_policy=tcb's rules: the file holds measure rules as well
  script="$root/etc/initramfs-tools/scripts/init-top/ima-policy"
  {
    printf '#!/bin/sh\n[ "$1" = prereqs ] && exit 0\n'
    printf 'mount -t securityfs securityfs /sys/kernel/security 2>/dev/null\n{\n'
    grep -vE '^[[:space:]]*(#|$)' "$ima_policy" | sed "s/.*/  echo '&'/"
    printf '} >/sys/kernel/security/ima/policy\n'
  } >"$script"
  chmod 755 "$script"
fi
if ((stock)); then
  echo "stock VM: bootaudit not enabled" >"$out/enable.txt"
else
  "$repo/bootaudit" enable --root "$root" --kernel-args "${enable_opts[@]}" >"$out/enable.txt"
  # the image is built by the root's own tool, as on the VM: nothing injected from outside
  for d in proc sys dev dev/pts; do mount --bind "/$d" "$root/$d"; done
  started=$(now)
  case $flavor in
    initramfs-tools) chroot "$root" update-initramfs -u -k all >"$out/initramfs.txt" 2>&1 ;;
    dracut) chroot "$root" dracut -f --regenerate-all >"$out/initramfs.txt" 2>&1 ;;
  esac
  echo "initramfs built in $(elapsed "$started" "$(now)") s" >>"$out/initramfs.txt"
  for d in dev/pts dev sys proc; do umount "$root/$d"; done
fi

# the test's own probe, not part of bootaudit: once the login prompt is up, the kernel's view of
# auditing (auditctl -s: lost, backlog, limit) and its audit messages, saved on the disk
cat >"$root/usr/local/sbin/vm-audit-status" <<'PROBE'
#!/bin/sh
# the kernel's audit state, its audit messages, and where kauditd and auditd wait (shell
# built-ins where it can: each program run is audited too)
{
  auditctl -s
  dmesg | grep -E 'audit(_lost|:.*(lost|overflow|backlog))'
  for p in /proc/[0-9]*; do
    read -r comm <"$p/comm" 2>/dev/null || continue
    case $comm in
      kauditd | auditd) for t in "$p"/task/*; do
          read -r wchan <"$t/wchan"; echo "thread $comm ${t##*/}: $wchan"; cat "$t/stack"; done ;;
    esac
  done
  journalctl -b -o short-monotonic -u auditd.service | tail -n 30
} >/var/log/vm-audit-status.txt 2>&1
# IMA's measurements so far, when the kernel measures (ima_policy=...); securityfs files have
# no size, so test what was copied
ima=/sys/kernel/security/ima/ascii_runtime_measurements
if [ -r $ima ]; then cat $ima >/var/log/vm-ima-measurements.txt; fi
dmesg >/var/log/vm-dmesg.txt
sync
echo "vm-audit-status: done" >/dev/console
PROBE
chmod 755 "$root/usr/local/sbin/vm-audit-status"
cat >"$root/etc/systemd/system/vm-audit-status.service" <<'UNIT'
[Unit]
Description=record-vm.sh: the kernel's audit status after the login prompt
After=getty.target systemd-user-sessions.service auditd.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/vm-audit-status

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/vm-audit-status.service "$root/etc/systemd/system/multi-user.target.wants/vm-audit-status.service"

kernel=$(ls "$root"/boot/vmlinuz-* | sort -V | tail -n 1)
version=${kernel##*/vmlinuz-}
cp "$kernel" "$out/vmlinuz"
cp "$root/boot/initrd.img-$version" "$out/initrd.img"
# the command line grub's 10_linux writes: root, ro, GRUB_CMDLINE_LINUX, GRUB_CMDLINE_LINUX_DEFAULT
cmdline=$(
  GRUB_CMDLINE_LINUX= GRUB_CMDLINE_LINUX_DEFAULT=
  eval "$(grep -E '^GRUB_CMDLINE_LINUX(_DEFAULT)?=' "$root/etc/default/grub")"
  echo "root=/dev/vda ro $GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT${append:+ $append}"
)
echo "$cmdline" >"$out/cmdline.txt"
rm -f "$out/disk.img"
mke2fs -q -t ext4 -d "$root" "$out/disk.img" 4G
[[ -n $append$ima_policy ]] || rm -rf "$root" # kept to hash IMA's measured files (the exit trap removes it)

rm -f "$mon.in" "$mon.out" "$out/console.log"
mkfifo "$mon.in" "$mon.out"
started=$(now)
qemu-system-x86_64 -accel tcg -m 2048 -smp 2 -display none -no-reboot \
  -kernel "$out/vmlinuz" -initrd "$out/initrd.img" -append "$cmdline" \
  -drive file="$out/disk.img",format=raw,if=virtio \
  -serial file:"$out/console.log" -monitor pipe:"$mon" </dev/null >"$out/qemu.txt" 2>&1 &
qemu_pid=$!
cat "$mon.out" >/dev/null &
exec 3>"$mon.in"
login=
for ((i = 0; i < 1200; i++)); do
  kill -0 "$qemu_pid" 2>/dev/null || break
  if grep -q ' login: ' "$out/console.log" 2>/dev/null; then
    login=$(elapsed "$started" "$(now)")
    break
  fi
  sleep 0.5
done
[[ -n $login ]] || { echo "record-vm.sh: no login prompt; see $out/console.log" >&2; exit 1; }
for ((i = 0; i < 120; i++)); do
  grep -q 'vm-audit-status: done' "$out/console.log" && break
  sleep 0.5
done
sleep "$settle"
# the way a host shuts a VM down: the ACPI power button, which logind turns into a clean
# power-off (auditd stopped by systemd). A press before logind watches the button is lost (seen
# under load), so it is pressed again every 15 s, as a host's shutdown does until its timeout.
clean=yes
trap '' PIPE # qemu may close the monitor between the check and the write: EPIPE, not death
for ((i = 0; i < 240; i++)); do
  kill -0 "$qemu_pid" 2>/dev/null || break
  if ((i % 30 == 0)); then echo system_powerdown >&3 2>/dev/null || true; fi
  sleep 0.5
done
if kill -0 "$qemu_pid" 2>/dev/null; then
  clean=no
  echo "record-vm.sh: no clean power-down in 120 s: SysRq sync, read-only, off" >&2
  for k in s u o; do echo "sendkey alt-sysrq-$k" >&3 2>/dev/null || true; sleep 3; done
fi
wait "$qemu_pid" || true
qemu_pid=
exec 3>&-
down=$(elapsed "$started" "$(now)")
printf 'qemu_started_epoch=%s\nlogin_prompt_s=%s\npowered_off_s=%s\nclean_power_off=%s\n' "$started" "$login" "$down" "$clean" >"$out/timing.txt"
mkdir -p "$out/audit"
debugfs -R "rdump /var/log/audit $out/audit" "$out/disk.img" 2>/dev/null
mv "$out/audit/audit" "$out/audit.tmp" && rmdir "$out/audit" && mv "$out/audit.tmp" "$out/audit"
debugfs -R "dump /var/log/vm-audit-status.txt $out/audit-status.txt" "$out/disk.img" 2>/dev/null
debugfs -R "dump /var/log/vm-dmesg.txt $out/dmesg.txt" "$out/disk.img" 2>/dev/null
if [[ -n $append$ima_policy ]]; then
  debugfs -R "dump /var/log/vm-ima-measurements.txt $out/ima-measurements.txt" "$out/disk.img" 2>/dev/null
  if [[ -s $out/ima-measurements.txt ]]; then
    # sha256sum of every measured file as it is on the root and in the initramfs, to check a
    # join of the measurements with the audit events against the files themselves
    unpacked=$(mktemp -d)
    unmkinitramfs "$out/initrd.img" "$unpacked" >/dev/null 2>&1 || true
    main=$unpacked; [[ -d $unpacked/main ]] && main=$unpacked/main
    awk '$3 != "ima-buf" && $5 ~ /^\// { print $5 }' "$out/ima-measurements.txt" | sort -u | while read -r f; do
      if [[ -f $root$f && ! -L $root$f ]]; then (cd "$root" && sha256sum ".$f") | sed 's# \./# /#' >>"$out/ima-root.sha256"; fi
      if [[ -f $main$f && ! -L $main$f ]]; then (cd "$main" && sha256sum ".$f") | sed 's# \./# /#' >>"$out/ima-initramfs.sha256"; fi
    done
    rm -rf "$unpacked"
  else
    rm -f "$out/ima-measurements.txt"
  fi
fi
[[ -s $out/audit/audit.log ]] || { echo "record-vm.sh: no audit.log on the disk image" >&2; exit 1; }
echo "record-vm.sh: login prompt after $login s, off after $down s; $(cat "$out"/audit/audit.log* | wc -l) lines in $out/audit" >&2
