#!/bin/sh
# The files of debian12/ are Debian 12's own, as its packages ship them: etc/default/grub is
# grub2-common's /usr/share/grub/default/grub (which its postinst copies to /etc/default/grub),
# etc/audit/auditd.conf and etc/audit/rules.d/audit.rules are auditd's. Tests use the host's
# /usr/share/grub/default/grub and /etc/audit/auditd.conf instead where they exist.
# Made with grub2-common 2.06-13+deb12u2 and auditd 1:3.0.9-1:
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
apt-get download grub2-common auditd
dpkg-deb -x grub2-common_*.deb grub
dpkg-deb -x auditd_*.deb auditd
install -m 0644 grub/usr/share/grub/default/grub "$here/debian12/etc/default/grub"
install -m 0644 auditd/etc/audit/auditd.conf "$here/debian12/etc/audit/auditd.conf"
install -m 0644 auditd/etc/audit/rules.d/audit.rules "$here/debian12/etc/audit/rules.d/audit.rules"
