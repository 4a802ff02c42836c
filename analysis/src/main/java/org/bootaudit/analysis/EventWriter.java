package org.bootaudit.analysis;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
    g.writeNumberField("boot", e.boot());
    g.writeNumberField("serial", e.serial());
    g.writeStringField("time", time(e.time()));
    g.writeStringField("phase", e.phase().label());
    g.writeStringField("op", e.op().label());
    g.writeStringField("path", e.path());
    if (e.oldPath().isPresent()) {
      g.writeStringField("oldPath", e.oldPath().get());
    }
    g.writeBooleanField("resolved", e.resolved());
    g.writeBooleanField("success", e.success());
    if (e.errno().isPresent()) {
      g.writeStringField("errno", e.errno().get());
    }
    g.writeStringField("syscall", e.syscall());
    g.writeStringField("arch", e.arch());
    ProcessInfo p = e.process();
    g.writeNumberField("pid", p.pid());
    g.writeNumberField("ppid", p.ppid());
    g.writeStringField("comm", p.comm());
    g.writeStringField("exe", p.exe());
    g.writeNumberField("uid", p.uid());
    g.writeNumberField("auid", p.auid());
    if (e.key().isPresent()) {
      g.writeStringField("key", e.key().get());
    }
    if (e.inode().isPresent()) {
      g.writeNumberField("inode", e.inode().getAsLong());
    }
    if (e.dev().isPresent()) {
      g.writeStringField("dev", e.dev().get());
    }
    if (e.mode().isPresent()) {
      String octal = Integer.toOctalString(e.mode().getAsInt());
      g.writeStringField(
          "mode", octal.length() >= 7 ? octal : "0000000".substring(octal.length()) + octal);
    }
    if (!e.node().isEmpty() || format == Format.CSV) {
      g.writeStringField("node", e.node());
    }
    if (e.target().isPresent()) {
      g.writeStringField("target", e.target().get());
    }
    if (e.keys().size() > 1) {
      if (format == Format.CSV) {
        g.writeStringField("keys", String.join(",", e.keys()));
      } else {
        g.writeArrayFieldStart("keys");
        for (String k : e.keys()) {
          g.writeString(k);
        }
        g.writeEndArray();
      }
    }
    name("user", names.user(p));
    name("auser", names.auser(p));
    g.writeEndObject();
    if (format == Format.JSONL) {
      g.writeRaw('\n');
    }
  }

  private void name(String field, java.util.Optional<String> name) throws IOException {
    if (name.isPresent()) {
      g.writeStringField(field, name.get());
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
