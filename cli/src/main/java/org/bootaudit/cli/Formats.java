package org.bootaudit.cli;

import java.util.Locale;
import org.bootaudit.analysis.EventWriter;
import picocli.CommandLine;

/** Parses format names given on the command line. */
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
}
