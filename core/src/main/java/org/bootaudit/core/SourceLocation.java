package org.bootaudit.core;

/**
 * Where something was found in the input: a source name, a 1-based line and a 1-based column.
 *
 * <p>Printed as {@code source:line:col}, the form editors and compilers use.
 *
 * @param source the file name as given by the user, or {@code <stdin>}
 * @param line 1-based line number
 * @param column 1-based column (byte offset in the line plus one)
 */
public record SourceLocation(String source, long line, int column) implements InputLocation {

  @Override
  public String toString() {
    return source + ":" + line + ":" + column;
  }
}
