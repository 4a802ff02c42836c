package org.bootaudit.initramfs;

import java.nio.charset.StandardCharsets;

/** Quoting for messages: at most 40 characters, control and non-ASCII bytes as \xNN. */
final class Text {
  private static final int MAX = 40;

  private Text() {}

  static String sanitize(byte[] b, int off, int len) {
    StringBuilder s = new StringBuilder();
    for (int i = off; i < off + len && s.length() < MAX; i++) {
      int c = b[i] & 0xff;
      if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\') {
        s.append(String.format("\\x%02x", c));
      } else {
        s.append((char) c);
      }
    }
    return len > MAX ? s + "..." : s.toString();
  }

  static String quote(String latin1) {
    byte[] b = latin1.getBytes(StandardCharsets.ISO_8859_1);
    return sanitize(b, 0, b.length);
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " bytes";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return (v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.1f", v)) + " " + units[u];
  }

  static String hex(long n) {
    return "0x" + Long.toHexString(n);
  }
}
