#!/bin/sh
# bootaudit boot-only: installed by 'bootaudit enable --boot-only' as
# /usr/local/lib/bootaudit/boot-only and run once a boot by bootaudit-boot-only.service, at the
# login prompt. Until then the kernel holds bootaudit's early-boot rules (loaded in the
# initramfs, and again by augenrules from /etc/audit/rules.d/50-bootaudit.rules when auditd
# starts); auditing every file opened costs, so from then on it holds the root's own rules only:
# /etc/audit/rules.d/*.rules without bootaudit's, put together as augenrules does, after -D.
# Without other rules the kernel is left with none (auditctl -D).
# Usage: boot-only [RULES_DIR]   (default /etc/audit/rules.d; tests give another)
set -u
dir=${1:-/etc/audit/rules.d}
rules=$(mktemp "${TMPDIR:-/tmp}/bootaudit-boot-only.XXXXXX") || exit 1
trap 'rm -f "$rules"' EXIT

# As augenrules: the *.rules files in version order (ls -1v), empty lines and comments dropped,
# the last -b and -f first, the last -e last. -D comes first whatever the files say (a bare -D
# of theirs is dropped; -D with options stays where it is, as augenrules leaves it).
for f in $(ls -1v "$dir" 2>/dev/null | grep '\.rules$'); do
	[ "$f" = 50-bootaudit.rules ] || cat "$dir/$f"
done | awk '
/^[ \t]*$/ || /^[ \t]*#/ { next }
/^[ \t]*-e/ { e = $0; next }
/^[ \t]*-D[ \t]*$/ { next }
/^[ \t]*-f/ { f = $0; next }
/^[ \t]*-b/ { b = $0; next }
{ rule[n++] = $0 }
END {
	if (e == "" && f == "" && b == "" && n == 0) exit
	print "-D"
	if (b != "") print b
	if (f != "") print f
	for (i = 0; i < n; i++) print rule[i]
	if (e != "") print e
}' > "$rules" || exit 1

if [ -s "$rules" ]; then
	auditctl -R "$rules"
else
	auditctl -D
fi
