package org.bootaudit.analysis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;
import org.bootaudit.core.InvalidInputException;
import org.bootaudit.core.SourceLocation;

/**
 * IMA's own audit records, types 1800 to 1807 ({@code INTEGRITY_DATA} ... {@code
 * INTEGRITY_POLICY_RULE}), from an audit log (auditd's {@code audit.log}, RAW or ENRICHED, plain
 * or gzip, a directory of a rotated set) or a kernel log ({@code audit: type=1805 audit(...)}).
 *
 * <p>An IMA policy rule with the action {@code audit} makes the kernel write an {@code
 * INTEGRITY_RULE} record for each file it matches, once per content: the file's name, its hash and
 * the process. The record carries the serial of the system call that opened or executed the file,
 * so it belongs to that call's audit event (see {@link ImaJoin}). Core reads the same log for the
 * events; this reader takes only these records, and leaves the rest of the log to core.
 */
public final class ImaAudit {

  /** Lines longer than this are left to core, which reports them. */
  static final int MAX_LINE = 64 * 1024;

  private static final String[] TYPES = {
    "INTEGRITY_DATA",
    "INTEGRITY_METADATA",
    "INTEGRITY_STATUS",
    "INTEGRITY_HASH",
    "INTEGRITY_PCR",
    "INTEGRITY_RULE",
    "INTEGRITY_EVM_XATTR",
    "INTEGRITY_POLICY_RULE"
  };

  /**
   * One record.
   *
   * @param type the record type's name, such as {@code INTEGRITY_RULE} (for a kernel log's numeric
   *     type too)
   * @param node the {@code node=} name, {@code ""} when the line has none
   * @param serial the kernel's event serial: the serial of the system call it was made in
   * @param time the event's time stamp
   * @param fields every {@code key=value} of the record in its order, quotes taken off and
   *     hex-encoded names decoded (as core writes names: {@code \xNN} for bytes that are not UTF-8)
   * @param location the record's line, for messages
   */
  public record Record(
      String type,
      String node,
      long serial,
      Instant time,
      Map<String, String> fields,
      SourceLocation location) {

    /** Copies {@code fields}, keeping their order. */
    public Record {
      fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The file: {@code file=} of an {@code INTEGRITY_RULE}, {@code name=} of the others. */
    public Optional<String> file() {
      return Optional.ofNullable(fields.getOrDefault("file", fields.get("name")));
    }

    /** The file's hash as {@code ALGORITHM:HEX} (lower case), when the record has one. */
    public Optional<String> hash() {
      return Optional.ofNullable(fields.get("hash")).map(h -> h.toLowerCase(Locale.ROOT));
    }

    /** The process that opened or executed the file. */
    public OptionalLong pid() {
      String p = fields.get("pid");
      return p == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(p));
    }

    /** The time in milliseconds since the epoch, as the record's stamp gives it. */
    long millis() {
      return time.toEpochMilli();
    }
  }

  private ImaAudit() {}

  /**
   * Reads the records of the logs; a directory stands for the {@code audit.log*} files in it.
   *
   * @throws InvalidFileException if one of these records is malformed, at file:line:column
   */
  public static List<Record> read(List<Path> logs) throws IOException {
    List<Record> out = new ArrayList<>();
    for (Path p : logs) {
      if (Files.isDirectory(p)) {
        try (DirectoryStream<Path> d = Files.newDirectoryStream(p, "audit.log*")) {
          List<Path> files = new ArrayList<>();
          d.forEach(files::add);
          files.sort(null);
          for (Path f : files) {
            readFile(f, out);
          }
        }
      } else {
        readFile(p, out);
      }
    }
    return out;
  }

  private static void readFile(Path file, List<Record> out) throws IOException {
    try (InputStream in = open(file)) {
      byte[] buf = new byte[1 << 16];
      ByteArrayOutputStream line = new ByteArrayOutputStream(256);
      boolean tooLong = false;
      long lineNo = 0;
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buf[i] != '\n') {
            continue;
          }
          lineNo++;
          tooLong = append(line, buf, start, i, tooLong);
          if (!tooLong) {
            candidate(file.toString(), lineNo, line.toByteArray(), out);
          }
          line.reset();
          tooLong = false;
          start = i + 1;
        }
        tooLong = append(line, buf, start, n, tooLong);
      }
      if (line.size() > 0 && !tooLong) {
        candidate(file.toString(), lineNo + 1, line.toByteArray(), out);
      }
    }
  }

  /** Adds bytes to the line unless it grew past {@link #MAX_LINE}; true when it has. */
  private static boolean append(
      ByteArrayOutputStream line, byte[] buf, int from, int to, boolean tooLong) {
    if (tooLong || line.size() + to - from > MAX_LINE) {
      return true;
    }
    line.write(buf, from, to - from);
    return false;
  }

  /** Looks at a line only when it names one of IMA's types: the other lines are core's. */
  private static void candidate(String source, long lineNo, byte[] line, List<Record> out) {
    if (contains(line, NAMED) || contains(line, NUMBERED)) {
      line(source, lineNo, new String(line, StandardCharsets.ISO_8859_1), out);
    }
  }

  private static final byte[] NAMED = "type=INTEGRITY_".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NUMBERED = "type=180".getBytes(StandardCharsets.US_ASCII);

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
    in.reset();
    return gzip ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
  }

  /** Parses one line (ISO-8859-1, so a char is a byte) when it is one of IMA's records. */
  static void line(String source, long lineNo, String line, List<Record> out) {
    int t = line.indexOf("type=");
    while (t > 0 && line.charAt(t - 1) != ' ') {
      t = line.indexOf("type=", t + 1); // not nametype= or fstype=
    }
    if (t < 0) {
      return;
    }
    int typeEnd = end(line, t + 5);
    String type = typeName(line.substring(t + 5, typeEnd));
    if (type == null) {
      return;
    }
    // auditd: "type=T msg=audit(...)"; a kernel log: "audit: type=N audit(...)"
    int a = line.indexOf("audit(", typeEnd);
    int close = a < 0 ? -1 : line.indexOf("):", a);
    if (a < 0 || a > typeEnd + 5 || close < 0) {
      throw bad(
          source,
          lineNo,
          typeEnd + 2,
          "expected 'msg=audit(SECONDS.MILLIS:SERIAL):'",
          line,
          typeEnd + 1);
    }
    String stamp = line.substring(a + 6, close);
    int dot = stamp.indexOf('.');
    int colon = stamp.indexOf(':');
    long seconds;
    long millis;
    long serial;
    try {
      seconds = Long.parseLong(stamp.substring(0, dot));
      millis = Long.parseLong(stamp.substring(dot + 1, colon));
      serial = Long.parseLong(stamp.substring(colon + 1));
    } catch (RuntimeException e) {
      throw bad(source, lineNo, a + 7, "expected SECONDS.MILLIS:SERIAL", line, a + 6);
    }
    String node = line.startsWith("node=") ? line.substring(5, end(line, 5)) : "";
    Map<String, String> fields = fields(source, lineNo, line, close + 2);
    if (type.equals("INTEGRITY_RULE") && fields.containsKey("file")) {
      checkHash(source, lineNo, line, fields);
    }
    out.add(new Record(
        type,
        node,
        serial,
        Instant.ofEpochMilli(seconds * 1000 + millis),
        fields,
        new SourceLocation(source, lineNo, t + 1)));
  }

  /** INTEGRITY_ or its number (a kernel log prints numbers), or null for another type. */
  private static String typeName(String t) {
    if (t.startsWith("INTEGRITY_")) {
      for (String name : TYPES) {
        if (name.equals(t)) {
          return name;
        }
      }
      return t;
    }
    if (t.length() == 4 && t.startsWith("180") && t.charAt(3) >= '0' && t.charAt(3) <= '7') {
      return TYPES[t.charAt(3) - '0'];
    }
    return null;
  }

  private static Map<String, String> fields(String source, long lineNo, String line, int from) {
    Map<String, String> fields = new LinkedHashMap<>();
    int end = line.indexOf('\u001d');
    end = end < 0 ? line.length() : end; // ENRICHED: the interpreted fields follow 0x1d
    int i = from;
    while (i < end) {
      if (line.charAt(i) == ' ') {
        i++;
        continue;
      }
      int eq = line.indexOf('=', i);
      int space = line.indexOf(' ', i);
      if (eq < 0 || eq >= end || space >= 0 && space < eq) {
        // free text between fields, as in "netlabel: ..." records: not a field
        i = space < 0 || space >= end ? end : space;
        continue;
      }
      String key = line.substring(i, eq);
      int v = eq + 1;
      String value;
      if (v < end && line.charAt(v) == '"') {
        int q = line.indexOf('"', v + 1);
        if (q < 0 || q >= end) {
          throw bad(source, lineNo, v + 1, "expected a closing '\"'", line, v);
        }
        value = text(line.substring(v + 1, q));
        i = q + 1;
      } else {
        int stop = Math.min(end(line, v), end);
        value = line.substring(v, stop);
        if (isName(key) && isHexName(value)) {
          value = decodeHex(value); // audit writes a name with blanks or quotes in hex
        }
        i = stop;
      }
      fields.putIfAbsent(key, value);
    }
    return fields;
  }

  private static void checkHash(
      String source, long lineNo, String line, Map<String, String> fields) {
    String hash = fields.get("hash");
    int at = line.indexOf("hash=");
    if (hash == null) {
      throw bad(
          source,
          lineNo,
          1,
          "expected hash=\"ALGORITHM:HEX\" in an INTEGRITY_RULE record",
          line,
          0);
    }
    int colon = hash.indexOf(':');
    if (colon < 1 || !isHex(hash.substring(colon + 1))) {
      throw bad(source, lineNo, at + 6, "expected hash=\"ALGORITHM:HEX\"", line, at + 5);
    }
  }

  private static boolean isName(String key) {
    return key.equals("file") || key.equals("name") || key.equals("comm") || key.equals("exe");
  }

  private static boolean isHexName(String v) {
    return v.length() >= 2 && v.length() % 2 == 0 && isHex(v);
  }

  private static boolean isHex(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static String decodeHex(String hex) {
    byte[] b = java.util.HexFormat.of().parseHex(hex);
    return text(new String(b, StandardCharsets.ISO_8859_1));
  }

  /**
   * Bytes (as ISO-8859-1 chars) to text as core writes names: valid UTF-8 as is, other bytes as
   * {@code \xNN}, a backslash as {@code \\}.
   */
  static String text(String latin1) {
    byte[] b = latin1.getBytes(StandardCharsets.ISO_8859_1);
    StringBuilder sb = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int n = utf8Length(b, i);
      if (n == 0) {
        sb.append(String.format("\\x%02x", b[i] & 0xff));
        i++;
      } else {
        String s = new String(b, i, n, StandardCharsets.UTF_8);
        sb.append(s.equals("\\") ? "\\\\" : s);
        i += n;
      }
    }
    return sb.toString();
  }

  /** The length of the well-formed UTF-8 sequence at {@code i}, or 0. */
  private static int utf8Length(byte[] b, int i) {
    int c = b[i] & 0xff;
    int n = c < 0x80
        ? 1
        : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (n == 0 || i + n > b.length) {
      return 0;
    }
    for (int k = 1; k < n; k++) {
      if ((b[i + k] & 0xc0) != 0x80) {
        return 0;
      }
    }
    // overlong forms and surrogates decode to U+FFFD: not well-formed
    return n == 1 || new String(b, i, n, StandardCharsets.UTF_8).indexOf('\uFFFD') < 0 ? n : 0;
  }

  private static int end(String line, int from) {
    int i = from;
    while (i < line.length() && line.charAt(i) != ' ' && line.charAt(i) != '\u001d') {
      i++;
    }
    return i;
  }

  private static InvalidFileException bad(
      String source, long lineNo, int column, String expected, String line, int at) {
    String found = at >= line.length()
        ? "the line's end"
        : "'" + InvalidInputException.excerpt(line.substring(at)) + "'";
    return new InvalidFileException(
        new SourceLocation(source, lineNo, column), expected + ", found " + found);
  }
}
