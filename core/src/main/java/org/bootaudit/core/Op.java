package org.bootaudit.core;

import java.util.Locale;

/** What a process did to a file. */
public enum Op {
  /** A new directory entry: open with O_CREAT that made the file, mkdir, mknod, link, symlink. */
  CREATE,
  /** An open for reading. */
  READ,
  /** An open for writing or with O_TRUNC, or truncate. */
  WRITE,
  /** The image of an execve, or the interpreter of a script. */
  EXEC,
  /** unlink, rmdir, or the file a rename replaced. */
  DELETE,
  /** A rename: {@link FileEvent#oldPath()} is the old name, {@link FileEvent#path()} the new. */
  RENAME,
  /** A change of mode, owner, extended attributes or times. */
  ATTR,
  /**
   * A mount: {@link FileEvent#path()} is the mount point, {@link FileEvent#oldPath()} the source
   * when the kernel recorded it as a path (a bind mount's directory, a device node).
   */
  MOUNT,
  /** An unmount: {@link FileEvent#path()} is the mount point. */
  UMOUNT;

  /** Returns the lower-case name used in JSON and CSV output. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a label as printed by {@link #label()}, ignoring case.
   *
   * @throws IllegalArgumentException for an unknown label
   */
  public static Op fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
