#!/bin/sh
# bootaudit initramfs-tools hook: ship auditctl and the early-boot rules in every initramfs.
PREREQ=""
prereqs() { echo "$PREREQ"; }
case "$1" in prereqs) prereqs; exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
if [ ! -x /usr/sbin/auditctl ]; then
	echo "bootaudit: /usr/sbin/auditctl missing (install auditd); early audit not added" >&2
	exit 0
fi
copy_exec /usr/sbin/auditctl /sbin
mkdir -p "${DESTDIR}/etc/bootaudit"
cat > "${DESTDIR}/etc/bootaudit/audit.rules" <<'BOOTAUDIT_RULES'
@RULES@BOOTAUDIT_RULES
