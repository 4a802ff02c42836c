package org.bootaudit.rules;

import org.bootaudit.core.SourceLocation;

/**
 * Thrown for text that is not a valid audit rule, with where it went wrong.
 *
 * <p>The message has the form {@code file:line:col: expected X, found 'Y'}; {@link #problem()} is
 * the same message without the location.
 */
public final class RuleSyntaxException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient SourceLocation location;
  private final String problem;

  /**
   * Creates an exception for a problem at a location.
   *
   * @param location where the problem is
   * @param problem what was expected and what was found, without the location
   */
  public RuleSyntaxException(SourceLocation location, String problem) {
    super(location + ": " + problem);
    this.location = location;
    this.problem = problem;
  }

  /** Returns where the problem is. */
  public SourceLocation location() {
    return location;
  }

  /** Returns the problem without the location. */
  public String problem() {
    return problem;
  }
}
