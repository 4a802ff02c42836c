package org.bootaudit.rules;

/** Where rules are loaded; some lint checks apply to early boot only. */
public enum Stage {
  /** Loaded in the initramfs, before switch_root: path rules and {@code -e 2}/{@code -f 2} are traps. */
  EARLY_BOOT,
  /** Loaded on the real root (augenrules, {@code /etc/audit/rules.d}). */
  ROOT
}
