package org.bootaudit.core;

/** The form of an input; {@link #AUTO} tells it from the first line of each input. */
public enum InputFormat {
  /** Decide per input from its first line. */
  AUTO,
  /** auditd's audit.log, RAW or ENRICHED: lines start with {@code type=} or {@code node=}. */
  AUDIT_LOG,
  /** A kernel log (dmesg, journal, console) with {@code audit: type=N audit(...)} lines. */
  KERNEL_LOG,
  /** The systemtap bootprobe script's log: {@code SECONDS INDENT PID (COMM) verb ...}. */
  BOOTPROBE
}
