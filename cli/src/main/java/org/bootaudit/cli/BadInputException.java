package org.bootaudit.cli;

/** A user's input file (other than a log) is not what it should be; exit code 65. */
final class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadInputException(String message) {
    super(message);
  }
}
