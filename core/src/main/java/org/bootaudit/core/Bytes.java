package org.bootaudit.core;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Byte helpers: lossless text for names that may not be UTF-8, hex and number parsing. */
final class Bytes {

  private static final byte[] HEX_DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private Bytes() {}

  /**
   * Text for bytes: valid UTF-8 as is, other bytes as {@code \xNN}, backslash as {@code \\}.
   * Inverse of {@link #unescape(String)}.
   */
  static String escape(byte[] b, int off, int len) {
    int end = off + len;
    boolean plain = true;
    for (int i = off; i < end; i++) {
      int c = b[i];
      if (c < 0x20 || c == '\\' || c == 0x7f) {
        plain = false;
        break;
      }
    }
    if (plain) {
      String s = new String(b, off, len, StandardCharsets.UTF_8);
      if (s.indexOf('\uFFFD') < 0 || isValidUtf8(b, off, end)) {
        return s;
      }
    }
    StringBuilder sb = new StringBuilder(len + 8);
    int i = off;
    while (i < end) {
      int c = b[i] & 0xff;
      int n = utf8Length(b, i, end);
      if (n > 1) {
        sb.append(new String(b, i, n, StandardCharsets.UTF_8));
        i += n;
      } else if (c == '\\') {
        sb.append("\\\\");
        i++;
      } else if (n == 1 && c >= 0x20 && c != 0x7f) {
        sb.append((char) c);
        i++;
      } else {
        sb.append("\\x").append((char) HEX_DIGITS[c >> 4]).append((char) HEX_DIGITS[c & 15]);
        i++;
      }
    }
    return sb.toString();
  }

  static String escape(byte[] b) {
    return escape(b, 0, b.length);
  }

  /** Bytes of text made by {@link #escape(byte[], int, int)}. */
  static byte[] unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
        out.write('\\');
        i += 2;
      } else if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
        out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
        i += 4;
      } else {
        int cp = s.codePointAt(i);
        byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(enc, 0, enc.length);
        i += Character.charCount(cp);
      }
    }
    return out.toByteArray();
  }

  private static boolean isValidUtf8(byte[] b, int off, int end) {
    int i = off;
    while (i < end) {
      int n = utf8Length(b, i, end);
      if (n == 0) {
        return false;
      }
      i += n;
    }
    return true;
  }

  /** Length of a valid UTF-8 sequence at {@code i}, or 0 when the bytes there are not one. */
  private static int utf8Length(byte[] b, int i, int end) {
    int c = b[i] & 0xff;
    if (c < 0x80) {
      return 1;
    }
    int n;
    int min;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 2;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      min = 0x10000;
    } else {
      return 0;
    }
    if (i + n > end) {
      return 0;
    }
    int cp = c & (0xff >> (n + 1));
    for (int k = 1; k < n; k++) {
      int d = b[i + k] & 0xff;
      if ((d & 0xc0) != 0x80) {
        return 0;
      }
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return 0;
    }
    return n;
  }

  private static final byte[] HEX_VALUES = new byte[256];

  static {
    java.util.Arrays.fill(HEX_VALUES, (byte) -1);
    for (int i = 0; i < 10; i++) {
      HEX_VALUES['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      HEX_VALUES['a' + i] = (byte) (10 + i);
      HEX_VALUES['A' + i] = (byte) (10 + i);
    }
  }

  static int hexValue(byte c) {
    return HEX_VALUES[c & 0xff];
  }

  /** True when {@code [off, end)} is a non-empty, even-length run of hex digits. */
  static boolean isHex(byte[] b, int off, int end) {
    if (end <= off || ((end - off) & 1) != 0) {
      return false;
    }
    for (int i = off; i < end; i++) {
      if (hexValue(b[i]) < 0) {
        return false;
      }
    }
    return true;
  }

  static byte[] decodeHex(byte[] b, int off, int end) {
    byte[] out = new byte[(end - off) / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (hexValue(b[off + 2 * i]) << 4 | hexValue(b[off + 2 * i + 1]));
    }
    return out;
  }

  /**
   * Parses digits in a radix; returns {@code Long.MIN_VALUE} when there are none, a bad one, or
   * more than a long holds. Hex takes up to 16 digits as the kernel prints them (unsigned, so
   * {@code ffffffffffffff9c} is -100); decimal and octal must fit a signed long.
   */
  static long parseLong(byte[] b, int off, int end, int radix) {
    if (off >= end) {
      return Long.MIN_VALUE;
    }
    boolean negative = b[off] == '-';
    int i = negative ? off + 1 : off;
    if (i >= end) {
      return Long.MIN_VALUE;
    }
    // up to this many digits cannot overflow; longer runs (rare) take the checked path
    int safe = radix == 16 ? 16 : radix == 10 ? 18 : 20;
    if (end - i > safe) {
      return parseLongChecked(b, i, end, radix, negative);
    }
    long v = 0;
    for (; i < end; i++) {
      int d = radix == 16 ? hexValue(b[i]) : b[i] - '0';
      if (d < 0 || d >= radix) {
        return Long.MIN_VALUE;
      }
      v = v * radix + d;
    }
    return negative ? -v : v;
  }

  private static long parseLongChecked(byte[] b, int i, int end, int radix, boolean negative) {
    while (i < end - 1 && b[i] == '0') {
      i++; // leading zeros never overflow
    }
    if (radix == 16 && end - i > 16) {
      return Long.MIN_VALUE;
    }
    long v = 0;
    try {
      for (; i < end; i++) {
        int d = radix == 16 ? hexValue(b[i]) : b[i] - '0';
        if (d < 0 || d >= radix) {
          return Long.MIN_VALUE;
        }
        v = radix == 16 ? v << 4 | d : Math.addExact(Math.multiplyExact(v, radix), d);
      }
    } catch (ArithmeticException e) {
      return Long.MIN_VALUE;
    }
    return negative ? -v : v;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * Index of the first {@code c} in {@code [from, end)}, or -1. Eight bytes at a time (SWAR): a
   * line's newline is ~230 bytes away, a quoted value's closing quote tens.
   */
  static int indexOf(byte[] b, int from, int end, byte c) {
    int i = from;
    long pattern = (c & 0xffL) * ONES;
    for (; i + 8 <= end; i += 8) {
      long x = (long) LONGS.get(b, i) ^ pattern;
      // a zero byte of x is a match; the lowest flagged byte is exact (no false positives below
      // the first real match)
      long found = (x - ONES) & ~x & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < end; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static final long SPACES = ' ' * ONES;
  private static final long GROUP_SEPARATORS = 0x1d * ONES;

  /**
   * Index of the first space or GS (0x1d, before ENRICHED fields) in {@code [from, end)}, or
   * {@code end}: where an unquoted value ends. Eight bytes at a time, as {@link #indexOf}.
   */
  static int indexOfSpaceOrGs(byte[] b, int from, int end) {
    int i = from;
    for (; i + 8 <= end; i += 8) {
      long x = (long) LONGS.get(b, i);
      long s = x ^ SPACES;
      long g = x ^ GROUP_SEPARATORS;
      // each term's lowest flagged byte is exact, so the lowest of both is the first match
      long found = ((s - ONES) & ~s | (g - ONES) & ~g) & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < end; i++) {
      if (b[i] == ' ' || b[i] == 0x1d) {
        return i;
      }
    }
    return end;
  }

  static boolean startsWith(byte[] b, int off, int end, byte[] prefix) {
    if (end - off < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[off + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** The token at {@code off} (up to a space) as a problem quotes it; see {@link InvalidInputException#excerpt(byte[], int, int)}. */
  static String quote(byte[] b, int off, int end) {
    int stop = off;
    while (stop < end && (b[stop] != ' ' || stop == off)) {
      stop++;
    }
    return InvalidInputException.excerpt(b, off, stop);
  }
}
