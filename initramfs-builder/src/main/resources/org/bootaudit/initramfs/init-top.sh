#!/bin/sh
# bootaudit-init-top 1
# Added by bootaudit: start Linux audit early in the initramfs (first in init-top).
case "$1" in prereqs) exit 0 ;; esac
@AUDIT@
exit 0
