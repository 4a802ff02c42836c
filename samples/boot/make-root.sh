#!/usr/bin/env bash
# Builds a small ext4 root file system image, without mounting anything (mke2fs -d), whose
# /sbin/init does a known file workload, starts auditd, waits until the kernel's hold queue is
# drained into /var/log/audit/audit.log, clears the rules, stops auditd and powers off.
#
# Usage: make-root.sh OUT.img [RULES_FILE]
#   RULES_FILE (optional) is installed with `bootaudit enable --root` (rules.d fragment, the
#   initramfs-tools hook) and loaded by init before auditd starts, as augenrules would.
# Needs: busybox-static, auditd, e2fsprogs (Debian packages).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:?usage: make-root.sh OUT.img [RULES_FILE]}
rules=${2:-}
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

mkdir -p "$tree"/{bin,sbin,etc/audit/rules.d,dev,proc,sys,run,tmp,var/log/audit,var/tmp,var/run,lib64,root}
cp /bin/busybox "$tree/bin/busybox"
for applet in sh mount umount sleep sync cat echo mkdir mv rm ls poweroff grep kill ln cp touch sed head chmod date setsid cttyhack; do
  ln -s busybox "$tree/bin/$applet"
done

# auditd and auditctl with every library they need (ldd is fine here: this is test set-up)
copy_with_libs() {
  cp "$1" "$tree/sbin/"
  ldd "$1" | awk '/=>/ {print $3} /^\t\/lib64\// {print $1}' | while read -r lib; do
    [[ -n $lib && -f $lib ]] || continue
    mkdir -p "$tree$(dirname "$lib")"
    cp -L "$lib" "$tree$lib"
  done
}
copy_with_libs /usr/sbin/auditd
copy_with_libs /usr/sbin/auditctl
mkdir -p "$tree/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$tree/lib64/"

cat >"$tree/etc/audit/auditd.conf" <<'CONF'
log_file = /var/log/audit/audit.log
log_format = RAW
log_group = root
priority_boost = 4
flush = INCREMENTAL_ASYNC
freq = 50
num_logs = 2
max_log_file = 64
max_log_file_action = ROTATE
space_left = 8
space_left_action = IGNORE
admin_space_left = 4
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
write_logs = yes
name_format = NONE
local_events = yes
q_depth = 4000
overflow_action = IGNORE
plugin_dir = /etc/audit/plugins.d
end_of_event_timeout = 2
CONF
mkdir -p "$tree/etc/audit/plugins.d"
echo "root:x:0:0:root:/root:/bin/sh" >"$tree/etc/passwd"
echo "root:x:0:" >"$tree/etc/group"
if [[ -n $rules ]]; then
  "$repo/bootaudit" enable --root "$tree" --rules "$rules" >&2
fi

cat >"$tree/sbin/init" <<'INIT'
#!/bin/sh
# The root's init: known file work, then auditd drains the hold queue, then power off.
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs tmp /run
echo "bootaudit-root: init started"
if [ -f /etc/audit/rules.d/50-bootaudit.rules ]; then
  # the early rules survived switch_root; loading again only adds what they lack
  /sbin/auditctl -R /etc/audit/rules.d/50-bootaudit.rules >/dev/null 2>&1
fi
# the known workload
mkdir -p /var/tmp/work
echo created > /var/tmp/work/created.txt
echo more >> /var/tmp/work/created.txt
cat /var/tmp/work/created.txt > /dev/null
mv /var/tmp/work/created.txt /var/tmp/work/renamed.txt
rm /var/tmp/work/renamed.txt
/bin/ls /var/tmp/work > /dev/null
# what login(1) does through pam_loginuid, on the console: the kernel logs LOGIN with tty=ttyS0,
# the marker bootaudit's window ends at ("until the login prompt")
setsid cttyhack sh -c 'echo 0 > /proc/self/loginuid' && echo "bootaudit-root: logged in on the console"
echo after > /var/tmp/work/after-login.txt
/sbin/auditd -s enable
echo "bootaudit-root: auditd started"
# every auditctl poll is itself audited: clear the rules first, then wait for the drain
/sbin/auditctl -D >/dev/null 2>&1
i=0
while [ $i -lt 120 ]; do
  if /sbin/auditctl -s 2>/dev/null | grep -q '^backlog 0$'; then
    break
  fi
  sleep 1
  i=$((i + 1))
done
sleep 3
/sbin/auditctl -s 2>/dev/null | sed 's/^/bootaudit-root: status /'
kill -TERM $(cat /var/run/auditd.pid) 2>/dev/null
sleep 3
sync
mount -o remount,ro / 2>/dev/null
sync
echo "bootaudit-root: powering off"
poweroff -f
INIT
chmod 755 "$tree/sbin/init"

rm -f "$out"
mke2fs -q -t ext4 -d "$tree" "$out" 256M
echo "make-root.sh: wrote $out" >&2
