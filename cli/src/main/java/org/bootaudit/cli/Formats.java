package org.bootaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;
import org.bootaudit.analysis.EventWriter;
import picocli.CommandLine;

/** Parses format names given on the command line, and writes the reports in them. */
final class Formats {

  private Formats() {}

  static EventWriter.Format events(String name) {
    try {
      return EventWriter.Format.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          new CommandLine(new Main()),
          "--format expects jsonl, json or csv, found '" + name + "'"
              + (name.contains("/") ? " (ausearch's -f FILE is --file here)" : ""));
    }
  }

  /**
   * True for {@code json}, false for {@code text}: the two forms of a report; anything else is a
   * usage error of {@code command}.
   */
  static boolean json(String name, Object command) {
    if (!name.equals("text") && !name.equals("json")) {
      throw new CommandLine.ParameterException(
          new CommandLine(command), "--format expects text or json, found '" + name + "'");
    }
    return name.equals("json");
  }

  /** Writes a report: its JSON tree, pretty and ending in a newline, or its text. */
  static void write(OutputStream out, boolean json, Supplier<Object> tree, Supplier<String> text)
      throws IOException {
    if (json) {
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, tree.get());
      out.write('\n');
    } else {
      out.write(text.get().getBytes(StandardCharsets.UTF_8));
    }
  }
}
