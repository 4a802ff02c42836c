package org.bootaudit.analysis;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;

/**
 * A sorted path list: as a pretty JSON array, one path per line (the post's {@code
 * files_used_during_boot}), or as plain lines of the names' own bytes ({@code report
 * --files-only}).
 */
public final class PathList {

  private PathList() {}

  /**
   * Reads plain lines of names as bytes, each turned into the text {@link
   * org.bootaudit.core.FileEvent#path()} gives the same name (valid UTF-8 as is, other bytes as
   * {@code \xNN}, a backslash as {@code \\}); blank lines are skipped.
   */
  public static java.util.TreeSet<String> readLines(java.nio.file.Path file) throws IOException {
    byte[] all = java.nio.file.Files.readAllBytes(file);
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    int start = 0;
    for (int i = 0; i <= all.length; i++) {
      if (i == all.length || all[i] == '\n') {
        if (i > start) {
          out.add(escape(java.util.Arrays.copyOfRange(all, start, i)));
        }
        start = i + 1;
      }
    }
    return out;
  }

  static String escape(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xff;
      int n = c < 0x80
          ? 1
          : c >= 0xc2 && c <= 0xdf
              ? 2
              : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
      if (n > 1 && i + n <= b.length) {
        byte[] seq = java.util.Arrays.copyOfRange(b, i, i + n);
        String s = new String(seq, java.nio.charset.StandardCharsets.UTF_8);
        if (java.util.Arrays.equals(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), seq)
            && s.indexOf('\uFFFD') < 0) {
          sb.append(s);
          i += n;
          continue;
        }
      }
      if (c == '\\') {
        sb.append("\\\\");
      } else if (n == 1 && c >= 0x20 && c != 0x7f) {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02X", c));
      }
      i++;
    }
    return sb.toString();
  }

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
