package org.bootaudit.cli;

/** Quoting of user input in one-line error messages. */
final class Text {

  private static final int MAX = 40;

  private Text() {}

  /** At most ~40 characters, control characters as {@code \xNN}. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < MAX; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (s.length() > MAX) {
      sb.append("...");
    }
    return sb.toString();
  }
}
