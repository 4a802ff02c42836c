package org.bootaudit.rules;

/** Quoting of user text in messages: at most 40 characters, control bytes as {@code \xNN}. */
final class Text {

  static final int MAX = 40;

  private Text() {}

  static String quote(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && i < MAX; i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return s.length() > MAX ? out + "..." : out.toString();
  }
}
