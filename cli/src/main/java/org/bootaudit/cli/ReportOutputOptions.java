package org.bootaudit.cli;

import java.io.IOException;
import java.util.Collection;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code -f text|json} and {@code -o FILE} of the commands that write one report. */
final class ReportOutputOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json.")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of stdout; the file appears only when complete.")
  String output;

  /** Refuses a format other than text or json, before the command does any work. */
  void check() {
    json();
  }

  /** True for json; anything but text or json is a usage error of the command. */
  boolean json() {
    return Formats.json(format, command);
  }

  /** Writes the report to {@code -o} (never over one of {@code inputs}) or stdout. */
  void write(Collection<String> inputs, Supplier<Object> tree, Supplier<String> text)
      throws IOException {
    try (Output out = Output.open(output, inputs)) {
      Formats.write(out.stream(), json(), tree, text);
      out.commit();
    }
  }
}
