package org.bootaudit.cli;

import java.util.concurrent.Callable;
import org.bootaudit.analysis.EventWriter;
import org.bootaudit.core.EventStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bootaudit events}: every file event, in boot then serial order. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = "Print the file events of audit logs (create, read, write, exec, delete, rename, attr, mount, umount).")
class EventsCommand implements Callable<Integer> {

  @Mixin InputOptions input;

  @Option(names = {"-f", "--format"}, defaultValue = "jsonl", description = "jsonl (default), json or csv.")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout; the file appears only when complete.")
  String output;

  @Override
  public Integer call() throws Exception {
    EventWriter.Format f = Formats.events(format);
    try (EventStream events = input.open();
        Output out = Output.open(output, input.logs)) {
      Progress progress = new Progress(events, input.totalBytes());
      try (EventWriter w = EventWriter.create(out.stream(), f)) {
        while (events.hasNext()) {
          w.write(events.next());
          progress.tick();
        }
      }
      progress.done();
      out.commit();
      Main.warnAboutLoss(events.summary());
    }
    return Main.OK;
  }
}
