package org.bootaudit.core;

/**
 * Thrown for input that is not a valid audit log, with where it went wrong.
 *
 * <p>The message has the form {@code file:line:col: expected X, found 'Y'}; {@link #problem()} is
 * the same message without the location.
 */
public final class AuditParseException extends InvalidInputException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception for a problem at a location.
   *
   * @param location where the problem is
   * @param problem what was expected and what was found, without the location
   */
  public AuditParseException(SourceLocation location, String problem) {
    super(location, problem, null);
  }

  /** Returns where the problem is: a file, a line and a column. */
  @Override
  public SourceLocation location() {
    return (SourceLocation) super.location();
  }
}
