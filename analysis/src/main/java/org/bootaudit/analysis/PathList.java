package org.bootaudit.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;

/** Writes a sorted path list as a pretty JSON array, like core's {@code UsedFiles.write}. */
final class PathList {

  private PathList() {}

  static void write(Collection<String> sortedPaths, OutputStream out) throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      g.writeStartArray();
      for (String p : sortedPaths) {
        g.writeString(p);
      }
      g.writeEndArray();
      g.writeRaw('\n');
    }
  }
}
