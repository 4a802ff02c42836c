package org.bootaudit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bootaudit stap}: the events of a systemtap bootprobe log (the post's method 3), in the
 * same form as {@code events} gives for audit logs, so that {@code diff} can compare methods.
 */
@Command(
    name = "stap",
    mixinStandardHelpOptions = true,
    description = {
      "Import logs of the original post's systemtap bootprobe script as file events (same output as 'events').",
      "The probe sees only execve, open (O_WRONLY = write, else read) and fork, on entry: no failures,",
      "no deletes or renames, and no serials, so loss cannot be measured."
    })
final class StapCommand implements Callable<Integer> {

  @Mixin InputOptions input;

  @Option(names = {"-f", "--format"}, defaultValue = "jsonl", description = "jsonl (default), json or csv.")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout; the file appears only when complete.")
  String output;

  @Override
  public Integer call() throws Exception {
    input.inputFormat = "bootprobe";
    EventsCommand events = new EventsCommand();
    events.input = input;
    events.format = format;
    events.output = output;
    return events.call();
  }
}
