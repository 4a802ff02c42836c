#!/bin/sh
# bootaudit-init-top 1
# bootaudit: load the early-boot audit rules before udev. Never stops the boot.
PREREQ=""
prereqs() { echo "$PREREQ"; }
case "$1" in prereqs) prereqs; exit 0 ;; esac
[ -x /sbin/auditctl ] || exit 0
ba_log() { if [ -c /dev/kmsg ]; then echo "bootaudit: $*" > /dev/kmsg; else echo "bootaudit: $*" >&2; fi; }
ba_out=$(/sbin/auditctl -R /etc/bootaudit/audit.rules 2>&1) || ba_log "loading rules failed: $ba_out"
ba_out=$(/sbin/auditctl -b @BACKLOG@ 2>&1) || ba_log "auditctl -b @BACKLOG@ failed: $ba_out"
ba_out=$(/sbin/auditctl -e 1 2>&1) || ba_log "auditctl -e 1 failed: $ba_out"
exit 0
