package org.bootaudit.core;

import java.nio.charset.StandardCharsets;

/**
 * One audit record: its header and its fields as byte offsets into a private copy of the line.
 * Values are decoded only when asked for.
 */
final class Record {

  /** Fields whose values the kernel hex-encodes when they hold unsafe bytes. */
  private static final String[] UNTRUSTED = {
    "name", "cwd", "comm", "exe", "proctitle", "key", "path", "data", "old-chardev", "new-chardev",
  };

  final String type;
  final String node;
  final long seconds;
  final int millis;
  final long serial;
  final String source;
  final long lineNo;
  /** Byte offset of the line's start in its input (after decompression). */
  final long lineOffset;

  private final byte[] buf;
  /** Quadruples keyStart, keyEnd, valueStart, valueEnd; a quoted value keeps its quotes. */
  private final int[] fields;
  /** Column of {@code buf[0]} in the original line, minus one. */
  private final int columnBase;

  Record(
      String type,
      String node,
      long seconds,
      int millis,
      long serial,
      String source,
      long lineNo,
      long lineOffset,
      byte[] buf,
      int[] fields,
      int columnBase) {
    this.type = type;
    this.node = node;
    this.seconds = seconds;
    this.millis = millis;
    this.serial = serial;
    this.source = source;
    this.lineNo = lineNo;
    this.lineOffset = lineOffset;
    this.buf = buf;
    this.fields = fields;
    this.columnBase = columnBase;
  }

  /** Bytes this record holds on the heap, roughly: its line copy and its fields. */
  int weight() {
    return 96 + buf.length + 4 * fields.length;
  }

  boolean isType(String t) {
    return type.equals(t);
  }

  int fieldCount() {
    return fields.length / 4;
  }

  String keyAt(int i) {
    return new String(
        buf, fields[4 * i], fields[4 * i + 1] - fields[4 * i], StandardCharsets.ISO_8859_1);
  }

  /** Index of the first field named {@code key}, or -1. */
  int find(String key) {
    for (int i = 0; i < fields.length; i += 4) {
      if (keyIs(fields[i], fields[i + 1], key)) {
        return i / 4;
      }
    }
    return -1;
  }

  /**
   * Index of the ENRICHED field {@code key} ({@code UID}, {@code AUID}: the upper-case fields
   * auditd appends after 0x1d), or -1. They sit at the end, so the search runs backwards and
   * stops at the first kernel field (lower case): a RAW record is answered at once.
   */
  int findEnriched(String key) {
    for (int i = fields.length - 4; i >= 0; i -= 4) {
      byte first = buf[fields[i]];
      if (first < 'A' || first > 'Z') {
        return -1;
      }
      if (keyIs(fields[i], fields[i + 1], key)) {
        return i / 4;
      }
    }
    return -1;
  }

  boolean has(String key) {
    return find(key) >= 0;
  }

  /** The value as written, quotes removed; {@code null} when the field is absent. */
  String text(String key) {
    int i = find(key);
    return i < 0 ? null : textAt(i);
  }

  String textAt(int i) {
    int s = fields[4 * i + 2];
    int e = fields[4 * i + 3];
    if (e - s >= 2 && (buf[s] == '"' || buf[s] == '\'')) {
      s++;
      e--;
    }
    return new String(buf, s, e - s, StandardCharsets.UTF_8);
  }

  /** The value parsed as a number in {@code radix}, or {@code dflt} when absent or not a number. */
  long number(String key, int radix, long dflt) {
    int i = find(key);
    if (i < 0) {
      return dflt;
    }
    long v = Bytes.parseLong(buf, fields[4 * i + 2], fields[4 * i + 3], radix);
    return v == Long.MIN_VALUE ? dflt : v;
  }

  /**
   * The value parsed as a number in {@code radix} within {@code [min, max]}, or {@code dflt}
   * when absent: for fields whose damage would change what an event says (a pid, an inode).
   *
   * @throws BadValue when the value is present but no such number
   */
  long checked(String key, int radix, long min, long max, long dflt) {
    int i = find(key);
    if (i < 0) {
      return dflt;
    }
    long v = Bytes.parseLong(buf, fields[4 * i + 2], fields[4 * i + 3], radix);
    if (v == Long.MIN_VALUE || v < min || v > max) {
      throw notInRange(i, key, radix, min, max);
    }
    return v;
  }

  /** Kept out of {@link #checked} so that the hot path stays small enough to inline. */
  private BadValue notInRange(int i, String key, int radix, long min, long max) {
    int s = fields[4 * i + 2];
    String form = radix == 16 ? "a hex number" : radix == 8 ? "an octal number" : "a number";
    return new BadValue(
        location(column(s)),
        "expected " + form + " from " + min + " to " + max + " for '" + key + "', found '"
            + Bytes.quote(buf, s, fields[4 * i + 3]) + "'");
  }

  /**
   * The field's index.
   *
   * @throws BadValue when the record lacks it: cut short, or not what its type says
   */
  int require(String key) {
    int i = find(key);
    if (i < 0) {
      throw new BadValue(
          location(column(buf.length)),
          "expected '" + key + "=' in this " + type
              + " record, found none (a record cut short or damaged?)");
    }
    return i;
  }

  /**
   * The decoded bytes of a value: quoted values without their quotes, hex-encoded values of
   * fields the kernel encodes decoded, {@code null} for an absent field or {@code (null)}.
   *
   * @throws BadValue when a field that must be hex is not
   */
  byte[] bytes(String key) {
    int i = find(key);
    return i < 0 ? null : bytesAt(i);
  }

  byte[] bytesAt(int i) {
    int s = fields[4 * i + 2];
    int e = fields[4 * i + 3];
    if (e - s >= 2 && buf[s] == '"') {
      return copy(s + 1, e - 1);
    }
    if (e - s == 6 && Bytes.startsWith(buf, s, e, NULL_VALUE)) {
      return null;
    }
    if (isUntrusted(i) && !(e - s == 1 && buf[s] == '?')) {
      if (!Bytes.isHex(buf, s, e)) {
        throw new BadValue(
            location(column(s)),
            "expected a quoted or hex value for '"
                + keyAt(i)
                + "', found '"
                + Bytes.quote(buf, s, e)
                + "'");
      }
      return Bytes.decodeHex(buf, s, e);
    }
    return copy(s, e);
  }

  /** An error for a value that is not of the form {@code expected}. */
  BadValue badValue(int i, String expected) {
    int s = fields[4 * i + 2];
    return new BadValue(
        location(column(s)), expected + ", found '" + Bytes.quote(buf, s, fields[4 * i + 3]) + "'");
  }

  /** An error for a key that is not of the form its record requires. */
  BadValue badKey(int i, String expected) {
    int ks = fields[4 * i];
    return new BadValue(
        location(column(ks)),
        expected + ", found '" + Bytes.quote(buf, ks, fields[4 * i + 1]) + "'");
  }

  private static final byte[] NULL_VALUE = "(null)".getBytes(StandardCharsets.US_ASCII);

  private boolean isUntrusted(int i) {
    int ks = fields[4 * i];
    int ke = fields[4 * i + 1];
    if (buf[ks] == 'a' && ke - ks > 1 && buf[ks + 1] >= '0' && buf[ks + 1] <= '9') {
      // EXECVE arguments: aN or aN[M], but not the aN_len length fields
      return buf[ke - 1] != 'n';
    }
    for (String u : UNTRUSTED) {
      if (keyIs(ks, ke, u)) {
        return true;
      }
    }
    return false;
  }

  private boolean keyIs(int ks, int ke, String key) {
    if (ke - ks != key.length()) {
      return false;
    }
    for (int k = 0; k < key.length(); k++) {
      if (buf[ks + k] != key.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private byte[] copy(int s, int e) {
    byte[] out = new byte[e - s];
    System.arraycopy(buf, s, out, 0, out.length);
    return out;
  }

  /** Decoded value as lossless text (see {@link Bytes#escape(byte[], int, int)}), or null. */
  String name(String key) {
    byte[] b = bytes(key);
    return b == null ? null : Bytes.escape(b);
  }

  int column(int offset) {
    return columnBase + offset + 1;
  }

  SourceLocation location(int column) {
    return new SourceLocation(source, lineNo, column, lineOffset + column - 1);
  }

  /** A value that is not of the form its field requires. */
  static final class BadValue extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient SourceLocation where;

    BadValue(SourceLocation where, String message) {
      super(message, null, false, false);
      this.where = where;
    }
  }
}
