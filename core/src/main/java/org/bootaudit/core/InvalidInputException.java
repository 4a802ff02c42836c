package org.bootaudit.core;

import java.util.Objects;

/**
 * The family of errors for input that is not what it should be: an audit log, a rules file, an
 * initramfs image. Each says where ({@link #location()}) and what was expected and found
 * ({@link #problem()}); the message is both, {@code location: problem}.
 *
 * <p>Unchecked, so that it can leave an iterator; a program maps the whole family to one exit
 * status (the command line uses 65, {@code EX_DATAERR}).
 */
public abstract class InvalidInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient InputLocation location;
  private final String problem;

  /**
   * Creates an exception for a problem at a location.
   *
   * @param location where the problem is
   * @param problem what was expected and what was found, without the location
   * @param cause the underlying error, or null
   */
  protected InvalidInputException(InputLocation location, String problem, Throwable cause) {
    super(Objects.requireNonNull(location, "location") + ": " + problem, cause);
    this.location = location;
    this.problem = problem;
  }

  /** Returns where the problem is. */
  public InputLocation location() {
    return location;
  }

  /** Returns the problem without the location. */
  public String problem() {
    return problem;
  }
}
