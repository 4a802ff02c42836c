#!/bin/sh
# bootaudit-wrapper 1
# Added by bootaudit: start Linux audit before init, then run the original /init (now /init.orig).
# Nothing here may stop the boot: failures are reported and ignored. No /dev/null is needed.
BA=/bootaudit
ba_log() {
	if [ -c /dev/kmsg ]; then echo "bootaudit: $*" > /dev/kmsg; else echo "bootaudit: $*" >&2; fi
}
ba_ctl() {
	"$BA/auditctl" "$@"
}
ba_out=$(ba_ctl -R "$BA/audit.rules" 2>&1) || ba_log "loading $BA/audit.rules failed: $ba_out"
ba_out=$(ba_ctl -b 8192 2>&1) || ba_log "auditctl -b 8192 failed: $ba_out"
ba_out=$(ba_ctl -e 1 2>&1) || ba_log "auditctl -e 1 failed: $ba_out"
unset BA ba_out
exec /init.orig "$@"
