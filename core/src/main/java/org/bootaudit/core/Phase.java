package org.bootaudit.core;

import java.util.Locale;

/**
 * The part of a boot a file event belongs to, told from the log alone (DESIGN §7). A boot goes
 * through them in this order, except that its window can end before auditd connects; a log may
 * lack the first ones (capture begun on the root) or the last.
 */
public enum Phase {
  /**
   * In the initramfs: until pid 1 executes a binary from another device than the initramfs's, or
   * with {@code --switched-root} among its arguments (systemd in an initrd). A boot whose first
   * exec is not from rootfs (an anonymous device such as {@code 00:02}) has none.
   */
  INITRAMFS,
  /** On the root, from the exec of its init on (that event included), before auditd connected. */
  ROOT,
  /**
   * After auditd connected: from the kernel's {@code CONFIG_CHANGE op=set audit_pid=N old=0} on,
   * by serial (auditd writes older records after its DAEMON_START); in a log without that record,
   * from DAEMON_START's time.
   */
  AUDITD,
  /** After the end of the boot window (by default the first login), whatever came before. */
  AFTER_WINDOW;

  /** Returns the name used in JSON and CSV output: {@code initramfs}, {@code root}, {@code auditd}, {@code after-window}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses a label as printed by {@link #label()}, ignoring case.
   *
   * @throws IllegalArgumentException for an unknown label
   */
  public static Phase fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
