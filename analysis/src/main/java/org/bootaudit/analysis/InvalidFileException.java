package org.bootaudit.analysis;

import org.bootaudit.core.InvalidInputException;
import org.bootaudit.core.SourceLocation;

/**
 * An input file of an analysis (an event file, a path list, an {@code access_time.cfg}) is not
 * what it should be. The location is the file, with line and column when they are known.
 */
public final class InvalidFileException extends InvalidInputException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception for a problem at a location.
   *
   * @param location where the problem is; line 0 for the file as a whole
   * @param problem what was expected and what was found, without the location
   */
  public InvalidFileException(SourceLocation location, String problem) {
    super(location, problem, null);
  }

  /** Returns where the problem is. */
  @Override
  public SourceLocation location() {
    return (SourceLocation) super.location();
  }

  static InvalidFileException at(
      Object file, com.fasterxml.jackson.core.JsonLocation loc, String problem) {
    return new InvalidFileException(
        new SourceLocation(
            String.valueOf(file),
            loc == null ? 0 : loc.getLineNr(),
            loc == null ? 0 : loc.getColumnNr()),
        problem);
  }

  static InvalidFileException of(Object file, String problem) {
    return new InvalidFileException(new SourceLocation(String.valueOf(file), 0, 0), problem);
  }
}
