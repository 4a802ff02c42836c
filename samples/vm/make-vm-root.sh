#!/usr/bin/env bash
# Builds the root file system of a small Debian 12 server VM with mmdebstrap (from the host's apt
# sources: no mirror is named) and keeps it as a tar in CACHE_DIR, named after a hash of this
# script, so that a second run reuses it. Prints the tar's path.
#
# Usage: make-vm-root.sh initramfs-tools|dracut CACHE_DIR
#   initramfs-tools: Debian's default initramfs generator
#   dracut:          dracut instead (as on RHEL/Fedora); Debian's dracut puts systemd in the initrd
# The VM: systemd as init, udev, journald, auditd, dbus (logind handles the power button, so an
# ACPI power-down stops it cleanly), openssh-server, cron, grub-pc (its etc/default/grub holds the
# kernel command line), zstd (initramfs compression, as a default install has it); root's password
# locked (no password logins), a serial console on ttyS0, the root on /dev/vda.
# Needs root and the Debian package mmdebstrap; about one minute.
set -euo pipefail
flavor=${1:?usage: make-vm-root.sh initramfs-tools|dracut CACHE_DIR}
cache=${2:?usage: make-vm-root.sh initramfs-tools|dracut CACHE_DIR}
case $flavor in
  initramfs-tools | dracut) ;;
  *) echo "make-vm-root.sh: unknown flavor $flavor" >&2; exit 2 ;;
esac
packages=systemd-sysv,udev,auditd,linux-image-amd64,$flavor,zstd,dbus,openssh-server,cron,grub-pc,e2fsprogs
key=$( { cat "${BASH_SOURCE[0]}"; echo "$packages"; } | sha256sum | cut -c1-12)
tar="$cache/debian12-$flavor-$key.tar"
if [[ -s $tar ]]; then
  echo "$tar"
  exit 0
fi
mkdir -p "$cache"
rm -f "$cache/debian12-$flavor-"*.tar
# what an installer would have set up on a VM with a serial console
setup='echo "/dev/vda / ext4 errors=remount-ro 0 1" >"$1/etc/fstab";
  echo vm >"$1/etc/hostname";
  sed -i "s/^GRUB_CMDLINE_LINUX_DEFAULT=.*/GRUB_CMDLINE_LINUX_DEFAULT=\"quiet console=ttyS0\"/" "$1/etc/default/grub"'
if [[ $flavor == dracut ]]; then
  # dracut in a chroot cannot see the VM's hardware: a generic image, but only with the
  # drivers this VM needs (a generic image of every driver takes minutes to build)
  setup+='; printf "%s\n" "hostonly=\"no\"" "drivers=\" virtio_blk virtio_pci ext4 \"" >"$1/etc/dracut.conf.d/10-vm.conf"'
fi
mmdebstrap --quiet --format=tar --variant=minbase --include="$packages" --customize-hook="$setup" bookworm "$tar.tmp" >&2
mv "$tar.tmp" "$tar"
echo "$tar"
