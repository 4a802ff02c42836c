package org.bootaudit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.LogSummary;
import org.bootaudit.core.Op;
import org.bootaudit.core.UsedFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bootaudit report}: per boot, what was touched, by whom, and what the log could not see. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Summarise each boot: window, file events by operation, unique files, top processes, losses.",
      "With --files-only, write the sorted unique file list (the original post's files_used_during_boot)."
    })
final class ReportCommand implements Callable<Integer> {

  @Mixin InputOptions input;

  @Option(names = {"-f", "--format"}, defaultValue = "text", description = "text (default) or json.")
  String format;

  @Option(names = "--files-only", description = "Write only the sorted JSON array of unique files.")
  boolean filesOnly;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout; the file appears only when complete.")
  String output;

  @Option(names = "--target", paramLabel = "DIR", description = "Count only files under DIR (repeatable).")
  List<String> targets = new ArrayList<>();

  @Option(names = "--exclude-ext", paramLabel = "EXT", description = "Leave out files ending in EXT, e.g. .png (repeatable).")
  List<String> excluded = new ArrayList<>();

  @Option(names = "--ops", split = ",", paramLabel = "OP", description = "Operations that make a file 'used' (default: all but delete).")
  List<String> ops = new ArrayList<>();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "An access_time.cfg-style JSON file: targets, excluded_extension(s), boot_start, boot_finish (local time, yyyy-MM-dd HH:mm).")
  Path config;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page: per boot, the process tree over time and the files each process touched, filterable by op and directory.")
  String html;

  @Option(names = "--top", defaultValue = "10", description = "Processes to list per boot (default ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("text") && !format.equals("json")) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--format expects text or json, found '" + format + "'");
    }
    UsedFiles.Builder filter = filter();
    UsedFiles all = filter.build();
    Map<String, BootStats> perBoot = new LinkedHashMap<>();
    LogSummary summary;
    HtmlReport page = html == null ? null : new HtmlReport();
    try (EventStream events = input.open()) {
      Progress progress = new Progress(events, input.totalBytes());
      while (events.hasNext()) {
        FileEvent e = events.next();
        all.accept(e);
        perBoot.computeIfAbsent(bootKey(e), k -> new BootStats(filter.build())).add(e);
        if (page != null) {
          page.add(e);
        }
        progress.tick();
      }
      progress.done();
      summary = events.summary();
    }
    if (page != null) {
      page.write(html, summary);
    }
    try (Output out = Output.open(output)) {
      if (filesOnly) {
        all.write(out.stream());
      } else if (format.equals("json")) {
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.stream(), ReportModel.json(summary, perBoot, top));
        out.stream().write('\n');
      } else {
        out.stream().write(ReportModel.text(summary, perBoot, top).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      out.commit();
    }
    if (filesOnly || output != null) {
      Summaries.warnAboutLoss(summary, System.err);
    }
    return Main.OK;
  }

  static String bootKey(String node, int boot) {
    return node + "#" + boot;
  }

  private static String bootKey(FileEvent e) {
    return bootKey(e.node(), e.boot());
  }

  private UsedFiles.Builder filter() throws IOException {
    UsedFiles.Builder b = UsedFiles.builder();
    if (config != null) {
      readConfig(b);
    }
    targets.forEach(b::target);
    excluded.forEach(b::excludeExtension);
    if (!ops.isEmpty()) {
      Set<Op> keep = EnumSet.noneOf(Op.class);
      for (String o : ops) {
        try {
          keep.add(Op.fromLabel(o.strip()));
        } catch (IllegalArgumentException e) {
          throw new picocli.CommandLine.ParameterException(
              new picocli.CommandLine(this),
              "--ops expects create, read, write, exec, delete, rename or attr, found '" + o + "'");
        }
      }
      b.ops(keep);
    }
    return b;
  }

  private void readConfig(UsedFiles.Builder b) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(config));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      var loc = e.getLocation();
      throw new BadInputException(
          config + ":" + (loc == null ? 0 : loc.getLineNr()) + ":" + (loc == null ? 0 : loc.getColumnNr())
              + ": expected a JSON object, " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadInputException(config + ":1:1: expected a JSON object with \"targets\"");
    }
    for (JsonNode t : root.path("targets")) {
      b.target(t.asText());
    }
    for (String key : List.of("excluded_extension", "excluded_extensions", "exclude_extensions")) {
      for (JsonNode x : root.path(key)) {
        b.excludeExtension(x.asText());
      }
    }
    if (root.hasNonNull("boot_start")) {
      b.from(localTime(root.get("boot_start").asText(), "boot_start"));
    }
    if (root.hasNonNull("boot_finish")) {
      b.to(localTime(root.get("boot_finish").asText(), "boot_finish"));
    }
  }

  private Instant localTime(String text, String key) {
    for (String pattern : List.of("yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm")) {
      try {
        return LocalDateTime.parse(text, DateTimeFormatter.ofPattern(pattern, Locale.ROOT))
            .atZone(ZoneId.systemDefault())
            .toInstant();
      } catch (DateTimeParseException ignored) {
        // try the next form
      }
    }
    throw new BadInputException(config + ": " + key + ": expected yyyy-MM-dd HH:mm, found '" + text + "'");
  }
}
