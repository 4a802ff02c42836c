package org.bootaudit.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns one line into a {@link Record}.
 *
 * <p>This is the hot loop of the whole library: it works on bytes, makes no per-field objects and
 * uses no regular expressions. Keep it that way; anything that can be done later, lazily, in
 * {@link Record} should be.
 */
final class RecordParser {

  /** What a line turned out to be. */
  enum Kind {
    RECORD,
    /** A kernel-log line that holds no audit record. */
    OTHER,
    /** A kernel-log line saying records were lost; see {@link #lossCount()}. */
    LOSS
  }

  private static final byte[] NODE = bytes("node=");
  private static final byte[] TYPE = bytes("type=");
  private static final byte[] MSG_AUDIT = bytes("msg=audit(");
  private static final byte[] AUDIT = bytes("audit(");
  private static final byte[] KERNEL_TYPE = bytes("audit: type=");
  private static final byte[] SUPPRESSED = bytes("callbacks suppressed");
  private static final byte[] AUDIT_LOST = bytes("audit: audit_lost=");
  private static final byte[] OVERFLOW = bytes("audit: kauditd hold queue overflow");
  private static final byte[] BACKLOG = bytes("audit: backlog limit exceeded");
  private static final byte[] KAUDITD = bytes("kauditd_printk_skb:");
  private static final byte GS = 0x1d;
  /** 9999-12-31T23:59:59Z: later stamps are damage, and past what a date can print. */
  private static final long MAX_SECONDS = 253_402_300_799L;

  private static final byte[] NO_BYTES = new byte[0];
  private static final int[] NO_FIELDS = new int[0];

  /** Record types whose fields the classifier or the window markers read. */
  private static final java.util.Set<String> FIELDS_USED = java.util.Set.of(
      "SYSCALL",
      "CWD",
      "PATH",
      "EXECVE",
      "OPENAT2",
      "PROCTITLE",
      "SERVICE_START",
      "USER_LOGIN",
      "LOGIN",
      "CONFIG_CHANGE",
      "URINGOP");

  /** The bytes that end a key: '=', and the separators ' ' and GS (free text has no '='). */
  private static final boolean[] ENDS_KEY = new boolean[256];

  static {
    ENDS_KEY['='] = true;
    ENDS_KEY[' '] = true;
    ENDS_KEY[GS] = true;
  }

  private final Tables tables;
  private int[] scratch = new int[256];
  private final String[] typeCacheNames = new String[128];
  private final byte[][] typeCacheBytes = new byte[128][];

  private Record record;
  private long lossCount;
  private String lossWhat;

  RecordParser(Tables tables) {
    this.tables = tables;
  }

  /** What {@link #parse} returns for a kernel-log line that holds no audit record. */
  static final Object OTHER_LINE = new Object();

  /** What {@link #parse} returns for a kernel-log line that reports lost records. */
  record Loss(String what, long count) {}

  /**
   * Parses a line as {@link #parseLogLine} or {@link #parseKernelLine} do, but returns what it is
   * rather than keeping it: the {@link Record}, a {@link Loss}, {@link #OTHER_LINE}, or the
   * {@link Problem}. Lines parsed ahead on other threads are kept so, until their turn comes.
   */
  Object parse(
      byte[] b, int off, int end, boolean kernel, String source, long lineNo, long lineOffset) {
    try {
      Kind kind = kernel
          ? parseKernelLine(b, off, end, source, lineNo, lineOffset)
          : parseLogLine(b, off, end, source, lineNo, lineOffset);
      return switch (kind) {
        case RECORD -> record;
        case LOSS -> new Loss(lossWhat, lossCount);
        case OTHER -> OTHER_LINE;
      };
    } catch (Problem p) {
      return p;
    }
  }

  /**
   * Parses a line of auditd's audit.log.
   *
   * @throws Problem when the line is not an audit record
   */
  private Kind parseLogLine(
      byte[] b, int off, int end, String source, long lineNo, long lineOffset) {
    int p = off;
    String node = "";
    if (Bytes.startsWith(b, p, end, NODE)) {
      int s = p + NODE.length;
      p = indexOf(b, s, end, (byte) ' ');
      if (p < 0) {
        throw new Problem(end - off + 1, "expected 'type=' after the node name, found end of line");
      }
      node = new String(b, s, p - s, StandardCharsets.UTF_8);
      p++;
    }
    if (!Bytes.startsWith(b, p, end, TYPE)) {
      throw new Problem(p - off + 1, "expected 'type=', found '" + Bytes.quote(b, p, end) + "'");
    }
    p += TYPE.length;
    int typeEnd = indexOf(b, p, end, (byte) ' ');
    if (typeEnd < 0) {
      throw new Problem(end - off + 1, "expected ' msg=audit(' after the type, found end of line");
    }
    if (typeEnd == p) {
      throw new Problem(p - off + 1, "expected a record type after 'type=', found ' '");
    }
    String type = typeName(b, p, typeEnd);
    p = typeEnd + 1;
    if (!Bytes.startsWith(b, p, end, MSG_AUDIT)) {
      throw new Problem(
          p - off + 1,
          "expected 'msg=audit(', found '" + Bytes.quote(b, p, end) + "'",
          unused(type));
    }
    p += MSG_AUDIT.length;
    return finish(b, off, p, end, type, node, source, lineNo, lineOffset, off);
  }

  /** Parses a kernel-log line (dmesg, journal, console), where audit records are embedded. */
  private Kind parseKernelLine(
      byte[] b, int off, int end, String source, long lineNo, long lineOffset) {
    int at = indexOf(b, off, end, KERNEL_TYPE);
    if (at < 0) {
      return lossMarker(b, off, end);
    }
    int p = at + KERNEL_TYPE.length;
    int typeEnd = indexOf(b, p, end, (byte) ' ');
    long number = typeEnd < 0 ? Long.MIN_VALUE : Bytes.parseLong(b, p, typeEnd, 10);
    if (number < 0 || number > Integer.MAX_VALUE) {
      number = Long.MIN_VALUE;
    }
    if (typeEnd <= p || !Bytes.startsWith(b, typeEnd + 1, end, AUDIT)) {
      throw new Problem(
          p - off + 1,
          "expected 'type=N audit(', found '" + Bytes.quote(b, at, end) + "'",
          number != Long.MIN_VALUE && unused(tables.typeName((int) number)));
    }
    String type =
        number == Long.MIN_VALUE ? typeName(b, p, typeEnd) : tables.typeName((int) number);
    int recordStart = at + "audit: ".length();
    return finish(
        b, off, typeEnd + 1 + AUDIT.length, end, type, "", source, lineNo, lineOffset, recordStart);
  }

  private Kind lossMarker(byte[] b, int off, int end) {
    int at = indexOf(b, off, end, KAUDITD);
    if (at >= 0 && indexOf(b, at, end, SUPPRESSED) >= 0) {
      int s = at + KAUDITD.length;
      while (s < end && b[s] == ' ') {
        s++;
      }
      int e = s;
      while (e < end && b[e] >= '0' && b[e] <= '9') {
        e++;
      }
      lossCount = Math.max(0, Bytes.parseLong(b, s, e, 10));
      lossWhat = "suppressed";
      return Kind.LOSS;
    }
    at = indexOf(b, off, end, AUDIT_LOST);
    if (at >= 0) {
      int s = at + AUDIT_LOST.length;
      int e = s;
      while (e < end && b[e] >= '0' && b[e] <= '9') {
        e++;
      }
      lossCount = Math.max(0, Bytes.parseLong(b, s, e, 10));
      lossWhat = "lost";
      return Kind.LOSS;
    }
    if (indexOf(b, off, end, OVERFLOW) >= 0) {
      lossCount = 0;
      lossWhat = "hold-overflow";
      return Kind.LOSS;
    }
    if (indexOf(b, off, end, BACKLOG) >= 0) {
      lossCount = 0;
      lossWhat = "overflow";
      return Kind.LOSS;
    }
    return Kind.OTHER;
  }

  /** Parses {@code SEC.MS:SERIAL):} at {@code p}, then the fields, and builds the record. */
  private Kind finish(
      byte[] b,
      int off,
      int p,
      int end,
      String type,
      String node,
      String src,
      long line,
      long lineOffset,
      int copyFrom) {
    int s = p;
    long sec = 0;
    while (p < end && b[p] >= '0' && b[p] <= '9') {
      sec = sec * 10 + (b[p++] - '0');
    }
    if (p == s || p - s > 12 || sec > MAX_SECONDS || p >= end || b[p] != '.') {
      throw timestampProblem(b, off, s, end, type);
    }
    s = ++p;
    int ms = 0;
    while (p < end && b[p] >= '0' && b[p] <= '9') {
      ms = ms * 10 + (b[p++] - '0');
    }
    if (p == s || p - s > 3 || p >= end || b[p] != ':') {
      throw timestampProblem(b, off, s, end, type);
    }
    s = ++p;
    long serial = 0;
    while (p < end && b[p] >= '0' && b[p] <= '9') {
      serial = serial * 10 + (b[p++] - '0');
    }
    // auditd writes some of its own records (DAEMON_CONFIG) with no ':' after the ')'
    if (p == s
        || p - s > 18
        || p >= end
        || b[p] != ')'
        || (p + 1 < end && b[p + 1] != ':' && b[p + 1] != ' ')) {
      throw timestampProblem(b, off, s, end, type);
    }
    p += 2;
    int n = fields(b, off, p, end);
    if (!FIELDS_USED.contains(type)) {
      // validated above; nothing downstream reads these fields, so keep only the header
      record =
          new Record(type, node, sec, ms, serial, src, line, lineOffset, NO_BYTES, NO_FIELDS, 0);
      return Kind.RECORD;
    }
    byte[] copy = Arrays.copyOfRange(b, copyFrom, end);
    int[] f = new int[n];
    for (int i = 0; i < n; i++) {
      f[i] = scratch[i] - copyFrom;
    }
    record =
        new Record(type, node, sec, ms, serial, src, line, lineOffset, copy, f, copyFrom - off);
    return Kind.RECORD;
  }

  private static Problem timestampProblem(byte[] b, int off, int at, int end, String type) {
    return new Problem(
        at - off + 1,
        "expected 'SECONDS.MILLIS:SERIAL):', found '" + Bytes.quote(b, at, end) + "'",
        unused(type));
  }

  /** Whether nothing downstream reads records of this type, so a damaged header loses nothing. */
  private static boolean unused(String type) {
    return !FIELDS_USED.contains(type)
        && !type.equals("EOE")
        && !type.equals("KERNEL")
        && !type.equals("DAEMON_START");
  }

  /** Tokenises {@code key=value} fields into {@link #scratch}; returns the number of ints used. */
  private int fields(byte[] b, int off, int p, int end) {
    int n = 0;
    while (p < end) {
      byte c = b[p];
      if (c == ' ' || c == GS) {
        p++;
        continue;
      }
      int ks = p;
      while (p < end && !ENDS_KEY[b[p] & 0xff]) {
        p++;
      }
      if (p >= end || b[p] != '=') {
        continue; // free text, as in AVC records: "avc:  denied  { read } for ..."
      }
      if (p == ks) {
        throw new Problem(
            p - off + 1, "expected key=value, found '" + Bytes.quote(b, p, end) + "'");
      }
      int ke = p++;
      int vs = p;
      // a value may start with '=': AppArmor kernels write subj==unconfined (the label is
      // "=unconfined"); like auparse, the value is everything up to the next space
      if (p < end && (b[p] == '"' || b[p] == '\'')) {
        byte q = b[p];
        int close = indexOf(b, p + 1, end, q);
        if (close >= 0
            && close + 1 < end
            && b[close + 1] != ' '
            && b[close + 1] != GS
            && q == '"') {
          // a value ends at a space; a quote followed by more is where a torn line may hide
          torn(b, off, vs, close, end);
        }
        if (close < 0) {
          throw new Problem(
              vs - off + 1,
              "expected a closing " + (q == '"' ? "'\"'" : "\"'\"") + " for '"
                  + Bytes.quote(b, ks, ke) + "', found end of line (truncated record?)");
        }
        p = close + 1;
        if (q == '\'') {
          n = add(n, ks, ke, vs, p);
          n = nested(b, off, vs + 1, close, n);
          continue;
        }
      } else {
        p = Bytes.indexOfSpaceOrGs(b, p, end);
        if (ke - ks == 3
            && b[ks] == 'm'
            && b[ks + 1] == 's'
            && b[ks + 2] == 'g'
            && Bytes.startsWith(b, vs, p, AUDIT)) {
          throw tornAt(b, off, off, ks, end);
        }
      }
      n = add(n, ks, ke, vs, p);
    }
    return n;
  }

  /**
   * The kernel hex-encodes every value with a space or a quote, so a quoted value holding a
   * record header is two records joined: the first cut inside its value, the next line glued on
   * (its closing quote is then the opening one of a value of the second record).
   */
  private static void torn(byte[] b, int off, int vs, int close, int end) {
    int at = indexOf(b, vs, close, MSG_AUDIT);
    if (at >= 0) {
      throw tornAt(b, off, vs, at, end);
    }
  }

  /** The error for a second header at {@code at}, reported where its {@code type=} starts. */
  private static Problem tornAt(byte[] b, int off, int from, int at, int end) {
    int start = at;
    for (int i = at - 1; i >= from && i >= at - 64; i--) {
      if (Bytes.startsWith(b, i, at, TYPE)) {
        start = i;
        break;
      }
    }
    return new Problem(
        start - off + 1,
        "expected one record per line, found a second record's header '"
            + Bytes.quote(b, start, end) + "' (two records joined: a line cut short?)");
  }

  /** Fields inside {@code msg='...'} of user-space records. */
  private int nested(byte[] b, int off, int p, int end, int n) {
    while (p < end) {
      if (b[p] == ' ') {
        p++;
        continue;
      }
      int ks = p;
      while (p < end && b[p] != '=' && b[p] != ' ') {
        p++;
      }
      if (p >= end || b[p] != '=' || p == ks) {
        continue;
      }
      int ke = p++;
      int vs = p;
      if (p < end && b[p] == '"') {
        int close = indexOf(b, p + 1, end, (byte) '"');
        p = close < 0 ? end : close + 1;
      } else {
        while (p < end && b[p] != ' ') {
          p++;
        }
      }
      n = add(n, ks, ke, vs, p);
    }
    return n;
  }

  private int add(int n, int ks, int ke, int vs, int ve) {
    if (n + 4 > scratch.length) {
      scratch = Arrays.copyOf(scratch, scratch.length * 2);
    }
    scratch[n] = ks;
    scratch[n + 1] = ke;
    scratch[n + 2] = vs;
    scratch[n + 3] = ve;
    return n + 4;
  }

  private String typeName(byte[] b, int s, int e) {
    int h = 0;
    for (int i = s; i < e; i++) {
      h = 31 * h + b[i];
    }
    int slot = h & (typeCacheNames.length - 1);
    byte[] cached = typeCacheBytes[slot];
    if (cached != null
        && cached.length == e - s
        && Arrays.equals(cached, 0, cached.length, b, s, e)) {
      return typeCacheNames[slot];
    }
    String name = new String(b, s, e - s, StandardCharsets.ISO_8859_1).intern();
    typeCacheBytes[slot] = Arrays.copyOfRange(b, s, e);
    typeCacheNames[slot] = name;
    return name;
  }

  private static int indexOf(byte[] b, int from, int end, byte c) {
    return Bytes.indexOf(b, from, end, c);
  }

  private static int indexOf(byte[] b, int from, int end, byte[] needle) {
    int last = end - needle.length;
    outer:
    for (int i = from; i <= last; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (b[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A line that is not what it should be; the column is 1-based within the line. */
  static final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int column;
    /** The record is of a type nothing reads: skip it with a warning, even in strict mode. */
    final boolean unusedType;

    Problem(int column, String message) {
      this(column, message, false);
    }

    Problem(int column, String message, boolean unusedType) {
      super(message, null, false, false);
      this.column = column;
      this.unusedType = unusedType;
    }
  }
}
