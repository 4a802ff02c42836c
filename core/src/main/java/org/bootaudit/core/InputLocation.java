package org.bootaudit.core;

/**
 * Where in an input a problem was found. Text inputs (logs, rules) use {@link SourceLocation}
 * (line and column); archives use their own kind (segment and byte offsets).
 *
 * <p>Its {@code toString()} is the form printed before a problem, e.g. {@code audit.log:12:7}.
 */
public interface InputLocation {

  /**
   * Returns the input's name as the user gave it, or {@code <stdin>}.
   *
   * @return the name
   */
  String source();
}
