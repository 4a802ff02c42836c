#!/bin/bash
# bootaudit dracut module, written by 'bootaudit enable' or 'bootaudit initramfs inject --target-root'.
# Every image dracut builds loads the early-boot audit rules before udev. Delete this directory to stop.

# Included by default wherever auditctl exists (package auditd or audit); skipped otherwise.
check() {
    require_binaries auditctl || return 1
    return 0
}

depends() {
    return 0
}

install() {
    # dracut copies the libraries auditctl needs into the image itself; no hook without auditctl
    inst_binary auditctl /usr/sbin/auditctl || {
        derror "bootaudit: auditctl could not be installed; early-boot audit not added"
        return 1
    }
    inst_simple "$moddir/audit.rules" /etc/bootaudit/audit.rules
    # systemd-journald switches auditing off when it starts unless Audit=yes (Debian: Audit=no)
    if [[ -e $initdir$systemdutildir/systemd-journald ]] || dracut_module_included systemd-journald; then
        inst_simple "$moddir/journald-bootaudit.conf" /etc/systemd/journald.conf.d/zz-bootaudit.conf
    fi
    if dracut_module_included systemd; then
        inst_simple "$moddir/bootaudit.service" "$systemdsystemunitdir/bootaudit.service"
        $SYSTEMCTL -q --root "$initdir" add-wants sysinit.target bootaudit.service || {
            mkdir -p "$initdir$systemdsystemunitdir/sysinit.target.wants"
            ln_r "$systemdsystemunitdir/bootaudit.service" "$systemdsystemunitdir/sysinit.target.wants/bootaudit.service"
        }
    else
        inst_hook cmdline 00 "$moddir/bootaudit.sh"
    fi
}
