package org.bootaudit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bootaudit.analysis.AtimeConfig;
import org.bootaudit.analysis.EventFilter;
import org.bootaudit.analysis.HtmlReport;
import org.bootaudit.analysis.Report;
import org.bootaudit.analysis.TimeSyntax;
import org.bootaudit.analysis.UsedFiles;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.LogSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bootaudit report}: per boot, what was touched, by whom, and what the log could not see. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Summarise each boot: window, file events by operation, unique files, top processes, losses.",
      "With --files-only, write the sorted unique file list (the original post's files_used_during_boot).",
      "Filters (--key, --file, --exe, --pid, --op, --success, --uid, --phase, --start, --end) apply before counting."
    },
    footer = Help.TIME)
final class ReportCommand implements Callable<Integer> {

  @Mixin
  InputOptions input;

  @Mixin
  FilterOptions filters;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text (default) or json; with --files-only, text is one path per line and json a JSON array.")
  String format;

  @Option(
      names = "--files-only",
      description =
          "Write only the sorted unique absolute paths; names that could not be made absolute are counted apart on stderr.")
  boolean filesOnly;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of stdout; the file appears only when complete.")
  String output;

  @Option(
      names = "--target",
      paramLabel = "DIR",
      description = "Count only files under DIR (repeatable).")
  List<String> targets = new ArrayList<>();

  @Option(
      names = "--exclude-ext",
      paramLabel = "EXT",
      description = "Leave out files ending in EXT, e.g. .png (repeatable).")
  List<String> excluded = new ArrayList<>();

  @Option(
      names = "--ops",
      split = ",",
      paramLabel = "OP",
      description = "Operations that make a file 'used' (default: all but delete).")
  List<String> ops = new ArrayList<>();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "An access_time.cfg-style JSON file: targets, excluded_extension(s), boot_start, boot_finish (a TIME).")
  Path config;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description =
          "Also write a self-contained HTML page: per boot, the process tree over time and the files each process touched, filterable by op and directory.")
  String html;

  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "10",
      description = "Processes to list per boot (default ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--html-lists",
      paramLabel = "N",
      defaultValue = "" + HtmlReport.DEFAULT_LISTS,
      description =
          "With --html: processes per boot whose file lists the page keeps, those with the most files (default ${DEFAULT-VALUE}).")
  int htmlLists;

  @Override
  public Integer call() throws Exception {
    boolean json = Formats.json(format, this);
    TimeSyntax times = input.times();
    NameOptions names = new NameOptions();
    filters.check(times, names);
    UsedFiles.Builder filter = filter(times);
    UsedFiles all = filter.build();
    Report.Collector report = Report.collector(filter);
    Report done;
    LogSummary summary;
    EventFilter selected;
    try (EventStream events = input.open();
        HtmlReport page = html == null ? null : new HtmlReport(htmlLists)) {
      selected = filters.build(events, times, names);
      Progress progress = new Progress(events, input.totalBytes());
      // counting (and the page's lists) on their own thread, overlapping the read
      WriteBehind.Sink count = e -> {
        if (filesOnly) {
          all.accept(e);
        } else {
          report.accept(e);
        }
        if (page != null) {
          page.accept(e);
        }
      };
      try (WriteBehind behind = new WriteBehind(count)) {
        while (events.hasNext()) {
          FileEvent e = events.next();
          if (selected.test(e)) {
            behind.add(e);
          }
          progress.tick();
        }
        behind.finish();
      }
      progress.done();
      summary = events.summary();
      done = report.finish(summary).selectedBy(selected);
      if (page != null) {
        try (Output out = Output.open(html, input.logs)) {
          page.write(out.stream(), summary);
          out.commit();
        }
      }
    }
    List<String> apart = new ArrayList<>();
    try (Output out = Output.open(output, input.logs)) {
      if (filesOnly && json) {
        all.write(out.stream());
      } else if (filesOnly) {
        apart.addAll(all.writeLines(out.stream()));
      } else {
        Report r = done;
        Formats.write(out.stream(), json, () -> r.json(top), () -> r.text(top));
      }
      out.commit();
    }
    if (filesOnly) {
      warnApart(
          all.unresolved(),
          "could not be made absolute (relative to a directory the log does not name)");
      warnApart(apart, "hold a newline and cannot be one line each (use -f json)");
    }
    if (filesOnly || output != null) {
      Main.warnAboutLoss(summary);
    }
    FilterOptions.warnIfEmpty(selected, summary, times);
    return Main.OK;
  }

  private static void warnApart(List<String> names, String why) {
    if (!names.isEmpty()) {
      List<String> shown = names.subList(0, Math.min(5, names.size())).stream()
          .map(n -> "'" + n + "'")
          .toList();
      System.err.println("bootaudit: warning: " + names.size() + " name(s) not listed: they " + why
          + ": " + String.join(", ", shown) + (names.size() > shown.size() ? ", ..." : ""));
    }
  }

  private UsedFiles.Builder filter(TimeSyntax times) throws IOException {
    UsedFiles.Builder b = UsedFiles.builder();
    if (config != null) {
      // the post's access_time.cfg, as 'atime' reads it: a finish covers its whole minute
      AtimeConfig cfg = AtimeConfig.read(config, times);
      cfg.targets().forEach(b::target);
      cfg.excluded().forEach(b::excludeExtension);
      cfg.start().ifPresent(b::from);
      cfg.finish().ifPresent(t -> b.to(t.minusNanos(1)));
    }
    targets.forEach(b::target);
    excluded.forEach(b::excludeExtension);
    if (!ops.isEmpty()) {
      b.ops(FilterOptions.ops(ops, "--ops"));
    }
    return b;
  }
}
