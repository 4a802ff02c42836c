package org.bootaudit.cli;

import picocli.CommandLine.Command;

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
final class StapCommand extends EventsCommand {

  @Override
  public Integer call() throws Exception {
    input.inputFormat = "bootprobe";
    return super.call();
  }
}
