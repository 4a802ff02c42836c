package org.bootaudit.core;

/**
 * Where something was found in a text input: a source name, a 1-based line and column, and the
 * byte offset of that column from the start of the input (after decompression).
 *
 * <p>Printed as {@code source:line:col}, the form editors and compilers use; {@code source:line}
 * when the column is not known, {@code source} for the input as a whole.
 *
 * @param source the file name as given by the user, or {@code <stdin>}
 * @param line 1-based line number, or 0 for the input as a whole
 * @param column 1-based column (byte offset in the line plus one), or 0 when not known
 * @param byteOffset 0-based byte offset in the input, or -1 when not known
 */
public record SourceLocation(String source, long line, int column, long byteOffset)
    implements InputLocation {

  /** A location whose byte offset is not known. */
  public SourceLocation(String source, long line, int column) {
    this(source, line, column, -1);
  }

  @Override
  public String toString() {
    return line <= 0
        ? source
        : column <= 0 ? source + ":" + line : source + ":" + line + ":" + column;
  }
}
