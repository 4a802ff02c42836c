package org.bootaudit.core;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.format.DateTimeFormatter;

/**
 * Writes file events as JSON Lines, a JSON array or CSV. Every format has the same flat fields,
 * in the same order; absent values are left out (JSON) or empty (CSV).
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
  public static final String[] FIELDS = {
    "boot", "serial", "time", "op", "path", "oldPath", "resolved", "success", "errno", "syscall",
    "arch", "pid", "ppid", "comm", "exe", "uid", "auid", "key", "inode", "dev", "mode", "node",
  };

  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

  private final JsonGenerator g;
  private final Format format;

  private EventWriter(JsonGenerator g, Format format) {
    this.g = g;
    this.format = format;
  }

  /** A writer to {@code out}; closing the writer flushes but does not close {@code out}. */
  public static EventWriter create(OutputStream out, Format format) throws IOException {
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
        g.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
      }
      default -> {
        g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        g.writeStartArray();
      }
    }
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return new EventWriter(g, format);
  }

  /** Writes one event. */
  public void write(FileEvent e) throws IOException {
    g.writeStartObject();
    g.writeNumberField("boot", e.boot());
    g.writeNumberField("serial", e.serial());
    g.writeStringField("time", TIME.format(e.time()));
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
      g.writeStringField("mode", String.format("%07o", e.mode().getAsInt()));
    }
    if (!e.node().isEmpty() || format == Format.CSV) {
      g.writeStringField("node", e.node());
    }
    g.writeEndObject();
  }

  @Override
  public void close() throws IOException {
    if (format == Format.JSON) {
      g.writeEndArray();
    }
    if (format != Format.CSV) {
      g.writeRaw('\n');
    }
    g.close();
  }
}
