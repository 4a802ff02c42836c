#!/bin/sh
# bootaudit-dracut 1
# Added by bootaudit: start Linux audit early in the initramfs (first cmdline hook; sourced, never exits).
@AUDIT@
unset -f ba_log ba_ctl
