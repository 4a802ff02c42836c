package org.bootaudit.initramfs;

import java.util.Objects;

/**
 * One change {@link RootSetup} made to a root (or would make, in a dry run), or a note about it,
 * as the line to show the user: {@code wrote ROOT/etc/audit/rules.d/50-bootaudit.rules (the rules,
 * for the root's augenrules)}.
 *
 * @param kind what it is
 * @param dryRun whether it was only planned
 * @param text the line ({@code would write ...} in a dry run)
 */
public record RootChange(Kind kind, boolean dryRun, String text) {

  /** What a line says. */
  public enum Kind {
    /** A file written. */
    WROTE,
    /** An existing file given new content (its original kept as a backup). */
    CHANGED,
    /** A symbolic link made. */
    LINKED,
    /** A directory made. */
    MADE_DIRECTORY,
    /** A file that already is as it should be. */
    UNCHANGED,
    /** A file or link removed. */
    REMOVED,
    /** An edited file put back from its backup. */
    RESTORED,
    /** An empty directory removed. */
    REMOVED_DIRECTORY,
    /** Something to undo that is gone already. */
    GONE,
    /** What the user should know or run: a note, a detail of the line before, a command. */
    NOTE
  }

  /** Checks that nothing is null. */
  public RootChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
  }

  /** The line. */
  @Override
  public String toString() {
    return text;
  }
}
