package org.bootaudit.cli;

import java.util.concurrent.Callable;
import org.bootaudit.analysis.EventFilter;
import org.bootaudit.analysis.EventWriter;
import org.bootaudit.analysis.TimeSyntax;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bootaudit events}: every file event, in boot then serial order. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description =
        "Print the file events of audit logs (create, read, write, exec, delete, rename, attr, mount, umount).",
    footer = Help.TIME)
class EventsCommand implements Callable<Integer> {

  @Mixin
  InputOptions input;

  @Mixin
  FilterOptions filters;

  @Mixin
  NameOptions names;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "jsonl",
      description = "jsonl (default), json or csv.")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of stdout; the file appears only when complete.")
  String output;

  @Override
  public Integer call() throws Exception {
    EventWriter.Format f = Formats.events(format);
    TimeSyntax times = input.times();
    names.check();
    filters.check(times, names);
    try (EventStream events = input.open();
        Output out = Output.open(output, input.logs)) {
      EventFilter selected = filters.build(events, times, names);
      Progress progress = new Progress(events, input.totalBytes());
      long written = 0;
      boolean named = false;
      try (EventWriter w = EventWriter.create(out.stream(), f, names.forOutput());
          WriteBehind behind = new WriteBehind(w::write)) {
        while (events.hasNext()) {
          FileEvent e = events.next();
          if (selected.test(e)) {
            behind.add(e);
            written++;
            named |= e.process().user().isPresent() || e.process().auser().isPresent();
          }
          progress.tick();
        }
        behind.finish();
      }
      progress.done();
      out.commit();
      names.warnIfUnnamed(written, named);
      Main.warnAboutLoss(events.summary());
      FilterOptions.warnIfEmpty(selected, events.summary(), times);
    }
    return Main.OK;
  }
}
