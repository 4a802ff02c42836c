package org.bootaudit.analysis;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;

/** A sorted path list as a pretty JSON array, one path per line: the post's {@code files_used_during_boot}. */
public final class PathList {

  private PathList() {}

  /** Writes the paths, already sorted, to {@code out}, which stays open. */
  public static void write(Collection<String> sortedPaths, OutputStream out) throws IOException {
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
