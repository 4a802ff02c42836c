package org.bootaudit.analysis;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.ProcessInfo;

/**
 * Writes file events as JSON Lines, a JSON array or CSV. Every format has the same flat fields,
 * in the same order; absent values are left out (JSON) or empty (CSV). {@code key} is the first
 * rule key; {@code keys}, written only when a rule gave several, is all of them: a JSON array, in
 * CSV joined by commas. {@code user} and {@code auser}, the names of {@code uid} and {@code auid},
 * are written when the writer was given {@link UserNames} other than {@link UserNames#none()} and
 * they or the log know them ({@code ausearch -i}).
 */
public final class EventWriter implements Closeable {

  /** Output formats. */
  public enum Format {
    /** One JSON object per line. */
    JSONL,
    /** One JSON array. */
    JSON,
    /** Comma-separated values with a header line. */
    CSV
  }

  /** The fields, in output order. */
  public static final List<String> FIELDS = List.of(
      "boot",
      "serial",
      "time",
      "phase",
      "op",
      "path",
      "oldPath",
      "resolved",
      "success",
      "errno",
      "syscall",
      "arch",
      "pid",
      "ppid",
      "comm",
      "exe",
      "uid",
      "auid",
      "key",
      "inode",
      "dev",
      "mode",
      "node",
      "target",
      "keys",
      "user",
      "auser");

  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

  // field names encoded once (Jackson copies their bytes rather than encoding them per event)
  private static final SerializedString F_ARCH = field("arch");
  private static final SerializedString F_AUID = field("auid");
  private static final SerializedString F_AUSER = field("auser");
  private static final SerializedString F_BOOT = field("boot");
  private static final SerializedString F_COMM = field("comm");
  private static final SerializedString F_DEV = field("dev");
  private static final SerializedString F_ERRNO = field("errno");
  private static final SerializedString F_EXE = field("exe");
  private static final SerializedString F_INODE = field("inode");
  private static final SerializedString F_KEY = field("key");
  private static final SerializedString F_KEYS = field("keys");
  private static final SerializedString F_MODE = field("mode");
  private static final SerializedString F_NODE = field("node");
  private static final SerializedString F_OLD_PATH = field("oldPath");
  private static final SerializedString F_OP = field("op");
  private static final SerializedString F_PATH = field("path");
  private static final SerializedString F_PHASE = field("phase");
  private static final SerializedString F_PID = field("pid");
  private static final SerializedString F_PPID = field("ppid");
  private static final SerializedString F_RESOLVED = field("resolved");
  private static final SerializedString F_SERIAL = field("serial");
  private static final SerializedString F_SUCCESS = field("success");
  private static final SerializedString F_SYSCALL = field("syscall");
  private static final SerializedString F_TARGET = field("target");
  private static final SerializedString F_TIME = field("time");
  private static final SerializedString F_UID = field("uid");
  private static final SerializedString F_USER = field("user");

  private static SerializedString field(String name) {
    if (!FIELDS.contains(name)) {
      throw new AssertionError("not an output field: " + name);
    }
    return new SerializedString(name);
  }

  private final JsonGenerator g;
  private final Format format;
  private final UserNames names;

  private EventWriter(JsonGenerator g, Format format, UserNames names) {
    this.g = g;
    this.format = format;
    this.names = names;
  }

  /** A writer to {@code out}; closing the writer flushes but does not close {@code out}. */
  public static EventWriter create(OutputStream out, Format format) throws IOException {
    return create(out, format, UserNames.none());
  }

  /** A writer that also names the users of {@code uid} and {@code auid} from {@code names}. */
  public static EventWriter create(OutputStream out, Format format, UserNames names)
      throws IOException {
    JsonGenerator g;
    switch (format) {
      case CSV -> {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (String f : FIELDS) {
          schema.addColumn(f);
        }
        CsvGenerator csv = new CsvFactory().createGenerator(out, JsonEncoding.UTF8);
        csv.setSchema(schema.build());
        g = csv;
      }
      case JSONL -> {
        g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        g.setRootValueSeparator(null);
      }
      default -> {
        g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        g.writeStartArray();
      }
    }
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return new EventWriter(g, format, names);
  }

  private long cachedSecond = Long.MIN_VALUE;
  private String cachedPrefix;

  /** ISO-8601 in UTC with milliseconds; the part up to the second is reused between events. */
  private String time(java.time.Instant t) {
    long sec = t.getEpochSecond();
    if (sec != cachedSecond) {
      String full = TIME.format(java.time.Instant.ofEpochSecond(sec));
      cachedPrefix = full.substring(0, full.length() - 1);
      cachedSecond = sec;
    }
    int ms = t.getNano() / 1_000_000;
    if (ms == 0) {
      return cachedPrefix + "Z";
    }
    return cachedPrefix + (ms < 10 ? ".00" : ms < 100 ? ".0" : ".") + ms + "Z";
  }

  /** Writes one event. */
  public void write(FileEvent e) throws IOException {
    g.writeStartObject();
    g.writeFieldName(F_BOOT);
    g.writeNumber(e.boot());
    g.writeFieldName(F_SERIAL);
    g.writeNumber(e.serial());
    g.writeFieldName(F_TIME);
    g.writeString(time(e.time()));
    g.writeFieldName(F_PHASE);
    g.writeString(e.phase().label());
    g.writeFieldName(F_OP);
    g.writeString(e.op().label());
    g.writeFieldName(F_PATH);
    g.writeString(e.path());
    if (e.oldPath().isPresent()) {
      g.writeFieldName(F_OLD_PATH);
      g.writeString(e.oldPath().get());
    }
    g.writeFieldName(F_RESOLVED);
    g.writeBoolean(e.resolved());
    g.writeFieldName(F_SUCCESS);
    g.writeBoolean(e.success());
    if (e.errno().isPresent()) {
      g.writeFieldName(F_ERRNO);
      g.writeString(e.errno().get());
    }
    g.writeFieldName(F_SYSCALL);
    g.writeString(e.syscall());
    g.writeFieldName(F_ARCH);
    g.writeString(e.arch());
    ProcessInfo p = e.process();
    g.writeFieldName(F_PID);
    g.writeNumber(p.pid());
    g.writeFieldName(F_PPID);
    g.writeNumber(p.ppid());
    g.writeFieldName(F_COMM);
    g.writeString(p.comm());
    g.writeFieldName(F_EXE);
    g.writeString(p.exe());
    g.writeFieldName(F_UID);
    g.writeNumber(p.uid());
    g.writeFieldName(F_AUID);
    g.writeNumber(p.auid());
    if (e.key().isPresent()) {
      g.writeFieldName(F_KEY);
      g.writeString(e.key().get());
    }
    if (e.inode().isPresent()) {
      g.writeFieldName(F_INODE);
      g.writeNumber(e.inode().getAsLong());
    }
    if (e.dev().isPresent()) {
      g.writeFieldName(F_DEV);
      g.writeString(e.dev().get());
    }
    if (e.mode().isPresent()) {
      String octal = Integer.toOctalString(e.mode().getAsInt());
      g.writeFieldName(F_MODE);
      g.writeString(octal.length() >= 7 ? octal : "0000000".substring(octal.length()) + octal);
    }
    if (!e.node().isEmpty() || format == Format.CSV) {
      g.writeFieldName(F_NODE);
      g.writeString(e.node());
    }
    if (e.target().isPresent()) {
      g.writeFieldName(F_TARGET);
      g.writeString(e.target().get());
    }
    if (e.keys().size() > 1) {
      if (format == Format.CSV) {
        g.writeFieldName(F_KEYS);
        g.writeString(String.join(",", e.keys()));
      } else {
        g.writeFieldName(F_KEYS);
        g.writeStartArray();
        for (String k : e.keys()) {
          g.writeString(k);
        }
        g.writeEndArray();
      }
    }
    name(F_USER, names.user(p));
    name(F_AUSER, names.auser(p));
    g.writeEndObject();
    if (format == Format.JSONL) {
      g.writeRaw('\n');
    }
  }

  private void name(SerializedString field, java.util.Optional<String> name) throws IOException {
    if (name.isPresent()) {
      g.writeFieldName(field);
      g.writeString(name.get());
    }
  }

  @Override
  public void close() throws IOException {
    if (format == Format.JSON) {
      g.writeEndArray();
    }
    if (format == Format.JSON) {
      g.writeRaw('\n');
    }
    g.close();
  }
}
