#!/bin/sh
# bootaudit-wrapper 1
# Added by bootaudit: start Linux audit before init, then run the original /init (now /init.orig).
@AUDIT@
exec /init.orig "$@"
