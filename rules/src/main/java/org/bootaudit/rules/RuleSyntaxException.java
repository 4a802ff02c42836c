package org.bootaudit.rules;

import org.bootaudit.core.InvalidInputException;
import org.bootaudit.core.SourceLocation;

/**
 * Thrown for text that is not a valid audit rule, with where it went wrong.
 *
 * <p>The message has the form {@code file:line:col: expected X, found 'Y'}; {@link #problem()} is
 * the same message without the location.
 */
public final class RuleSyntaxException extends InvalidInputException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception for a problem at a location.
   *
   * @param location where the problem is
   * @param problem what was expected and what was found, without the location
   */
  public RuleSyntaxException(SourceLocation location, String problem) {
    super(location, problem, null);
  }

  /** Returns where the problem is: a file, a line and a column. */
  @Override
  public SourceLocation location() {
    return (SourceLocation) super.location();
  }
}
