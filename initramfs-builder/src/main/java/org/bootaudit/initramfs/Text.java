package org.bootaudit.initramfs;

import java.nio.charset.StandardCharsets;
import org.bootaudit.core.InvalidInputException;

/** Words for messages: quoted input (through core's one helper), byte counts, offsets. */
final class Text {

  private Text() {}

  /** Bytes of an image as a problem quotes them; see {@link InvalidInputException#excerpt(byte[], int, int)}. */
  static String sanitize(byte[] b, int off, int len) {
    return InvalidInputException.excerpt(b, off, off + len);
  }

  /** A name read as ISO-8859-1 (one char per byte), quoted as its bytes. */
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
    return (v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.1f", v)) + " "
        + units[u];
  }

  static String hex(long n) {
    return "0x" + Long.toHexString(n);
  }
}
