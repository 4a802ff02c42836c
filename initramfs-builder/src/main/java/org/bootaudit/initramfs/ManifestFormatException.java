package org.bootaudit.initramfs;

import org.bootaudit.core.InvalidInputException;
import org.bootaudit.core.SourceLocation;

/**
 * The manifest {@code bootaudit enable} left in a root ({@code etc/bootaudit/enable.manifest}) is
 * not what it writes, e.g. a line names a path outside the root. Its location is the file, line
 * and column.
 */
public final class ManifestFormatException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  ManifestFormatException(SourceLocation location, String problem) {
    super(location, problem, null);
  }

  /** The manifest's file, line and column. */
  @Override
  public SourceLocation location() {
    return (SourceLocation) super.location();
  }
}
