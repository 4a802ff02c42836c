#!/bin/sh
# Recreates the boot-configuration fixtures in this directory: three target roots for
# KernelArgumentsTest. Run on Debian 12 as root (or where unshare -rm works), with
#   apt-get install systemd grub-common     # kernel-install 252, grub-editenv 2.06
# and an installed kernel (/boot/vmlinuz-*, /boot/initrd.img-*).
#
# kernel-install/  Boot Loader Specification entries written by the real kernel-install
#                  (layout=bls, its 90-loaderentry.install plugin), from etc/kernel/cmdline.
# esp/             The same in an ESP (efi/loader/entries), shared with another installation
#                  (an entry with another machine-id, which must be left alone).
# rhel8/           A RHEL 8 root: entries in RHEL 8's format (written here by hand: no RHEL
#                  tool runs on Debian) with "options $kernelopts", the command line in
#                  boot/grub2/grubenv made by the real grub-editenv, and etc/default/grub.
#
# BOOT_ROOT is a fresh tmpfs in a private mount namespace, so kernel-install writes the
# paths a separate /boot or ESP partition gets ("linux /<machine-id>/<version>/linux"), and
# nothing outside the work directory is touched: KERNEL_INSTALL_CONF_ROOT, BOOT_ROOT and
# MACHINE_ID point it at this tree, KERNEL_INSTALL_PLUGINS runs only the entry writer (no
# depmod of this machine's modules). Entry text is what kernel-install writes on this
# machine (title and sort-key come from this machine's /etc/os-release). The kernel images
# it copies are not kept, only the entries.
set -eu
if [ -z "${BLS_RECREATE_NS:-}" ]; then
  if [ "$(id -u)" = 0 ]; then
    BLS_RECREATE_NS=1 exec unshare -m "$0" "$@"
  fi
  BLS_RECREATE_NS=1 exec unshare -rm "$0" "$@"
fi
cd "$(dirname "$0")"
out=$PWD
work=$(mktemp -d)
trap 'umount "$work/boot" "$work/efi" 2>/dev/null || :; rm -rf "$work"' EXIT

ours=e1dee3e5086d4fccbb827415148e7426
other=0dcfeeca8cc14d969717290614986842
rhel=5c1e8a3f0b7d4e2a9f6c3d8b1a2e4f70
version=$(cd /boot && ls vmlinuz-* | sed 's/^vmlinuz-//' | sort -V | tail -n 1)
older=$(echo "$version" | awk -F- '{ $2 = $2 - 1; print }' OFS=-)
for v in "$version" "$older"; do  # an older version number for the same image: the entry text does not depend on it
  ln -s "/boot/vmlinuz-$version" "$work/vmlinuz-$v"
  ln -s "/boot/initrd.img-$version" "$work/initrd.img-$v"
done

# install BOOT_ROOT CONF_ROOT MACHINE_ID VERSION
install_kernel() {
  MACHINE_ID=$3 BOOT_ROOT=$1 KERNEL_INSTALL_CONF_ROOT=$2 \
    KERNEL_INSTALL_PLUGINS=/usr/lib/kernel/install.d/90-loaderentry.install \
    kernel-install add "$4" "$work/vmlinuz-$4" "$work/initrd.img-$4"
}

rm -rf "$out/kernel-install" "$out/esp" "$out/rhel8"

# --- kernel-install: /boot/loader/entries, the older kernel installed before audit=0 was added
root=$out/kernel-install
mkdir -p "$root/etc/kernel" "$work/boot"
mount -t tmpfs bootaudit-boot "$work/boot"
echo "$ours" > "$root/etc/machine-id"
echo layout=bls > "$root/etc/kernel/install.conf"
echo "root=UUID=6f1e3c2a-4b5d-4e8f-9a0b-1c2d3e4f5a6b ro quiet" > "$root/etc/kernel/cmdline"
install_kernel "$work/boot" "$root/etc/kernel" "$ours" "$older"
echo "root=UUID=6f1e3c2a-4b5d-4e8f-9a0b-1c2d3e4f5a6b ro quiet audit=0" > "$root/etc/kernel/cmdline"
install_kernel "$work/boot" "$root/etc/kernel" "$ours" "$version"
mkdir -p "$root/boot/loader/entries"
cp "$work/boot/loader/entries/"*.conf "$root/boot/loader/entries/"

# --- esp: efi/loader/entries, shared with another installation -------------------------
root=$out/esp
mkdir -p "$root/etc" "$work/efi" "$work/conf-ours" "$work/conf-other"
mount -t tmpfs bootaudit-efi "$work/efi"
echo "$ours" > "$root/etc/machine-id"
echo layout=bls | tee "$work/conf-ours/install.conf" > "$work/conf-other/install.conf"
echo "root=PARTUUID=0b7c9a2e-01 rw audit_backlog_limit=8192" > "$work/conf-ours/cmdline"
echo "root=PARTUUID=0b7c9a2e-02 rw audit=0" > "$work/conf-other/cmdline"
install_kernel "$work/efi" "$work/conf-ours" "$ours" "$version"
install_kernel "$work/efi" "$work/conf-other" "$other" "$version"
mkdir -p "$root/efi/loader/entries"
cp "$work/efi/loader/entries/"*.conf "$root/efi/loader/entries/"

# --- rhel8: options $kernelopts, kernelopts in grubenv ----------------------------------
root=$out/rhel8
mkdir -p "$root/etc/default" "$root/boot/loader/entries" "$root/boot/grub2"
echo "$rhel" > "$root/etc/machine-id"
opts="root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet audit=0"
cat > "$root/etc/default/grub" <<GRUB
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR="\$(sed 's, release .*\$,,g' /etc/system-release)"
GRUB_DEFAULT=saved
GRUB_DISABLE_SUBMENU=true
GRUB_TERMINAL_OUTPUT="console"
GRUB_CMDLINE_LINUX="crashkernel=auto resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet audit=0"
GRUB_DISABLE_RECOVERY="true"
GRUB_ENABLE_BLSCFG=true
GRUB
entry() { # entry VERSION OPTIONS ID-DATE INITRD-EXTRA
  cat > "$root/boot/loader/entries/$rhel-$1.conf" <<ENTRY
title Red Hat Enterprise Linux ($1) 8.10 (Ootpa)
version $1
linux /vmlinuz-$1
initrd /initramfs-$1.img$4
options $2
id rhel-$3-$1
grub_users \$grub_users
grub_arg --unrestricted
grub_class kernel
ENTRY
}
entry 4.18.0-553.el8_10.x86_64 '$kernelopts $tuned_params' 20240501083012 ' $tuned_initrd'
entry "0-rescue-$rhel" '$kernelopts' 20231114221320 ''
# one kernel updated on its own ("grubby --update-kernel=/boot/vmlinuz-... --args=") has literal options
entry 4.18.0-513.5.1.el8_9.x86_64 "$opts \$tuned_params" 20231114221320 ' $tuned_initrd'
grub-editenv "$root/boot/grub2/grubenv" create
grub-editenv "$root/boot/grub2/grubenv" set "saved_entry=$rhel-4.18.0-553.el8_10.x86_64"
grub-editenv "$root/boot/grub2/grubenv" set "kernelopts=$opts"
grub-editenv "$root/boot/grub2/grubenv" set boot_success=0

find "$out/kernel-install" "$out/esp" "$out/rhel8" -type f | sort
