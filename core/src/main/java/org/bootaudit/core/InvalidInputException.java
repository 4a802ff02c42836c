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

  /** The longest excerpt of input a problem quotes, in characters. */
  public static final int EXCERPT = 40;

  /**
   * Input as a one-line problem quotes it: at most {@value #EXCERPT} characters and then
   * {@code ...}, control characters as {@code \xNN}, so that hostile input cannot break the line
   * or the terminal.
   */
  public static String excerpt(CharSequence found) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < found.length() && i < EXCERPT; i++) {
      char c = found.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02X", (int) c));
      } else {
        sb.append(c);
      }
    }
    return found.length() > EXCERPT ? sb.append("...").toString() : sb.toString();
  }

  /**
   * Bytes of input as a one-line problem quotes them: at most {@value #EXCERPT} of them and then
   * {@code ...}, any byte outside printable ASCII as {@code \xNN}.
   */
  public static String excerpt(byte[] found, int off, int end) {
    StringBuilder sb = new StringBuilder();
    int stop = Math.min(end, off + EXCERPT);
    for (int i = off; i < stop; i++) {
      int c = found[i] & 0xff;
      if (c < 0x20 || c >= 0x7f) {
        sb.append(String.format("\\x%02X", c));
      } else {
        sb.append((char) c);
      }
    }
    return end > stop ? sb.append("...").toString() : sb.toString();
  }
}
