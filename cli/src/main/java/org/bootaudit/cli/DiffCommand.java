package org.bootaudit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.bootaudit.analysis.Baseline;
import org.bootaudit.analysis.Diff;
import org.bootaudit.analysis.FileSet;
import org.bootaudit.analysis.FileSetReader;
import org.bootaudit.analysis.TimeSyntax;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bootaudit diff}: what one boot touched that another did not, or that no baseline approved. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the files two boots used: files used in one and not the other, files whose operations changed,"
          + " programs that appeared or vanished, counts per operation and per directory.",
      "Each input is a log (anything 'events' reads), JSON Lines from 'events', or a path list (a JSON"
          + " array, or one path per line: from 'report --files-only' or 'atime'); the kind is told from the content. Only successful events count;"
          + " against a path list, only paths, and files only deleted are left out as in 'report --files-only'.",
      "With --baseline FILE, check one input against an approved path list instead.",
      "Content: where both sides have IMA hashes for a path (--ima FILE per input, or a log holding IMA's"
          + " INTEGRITY_RULE records; for --baseline, a sha256sum list or an IMA measurement list as the baseline),"
          + " a different hash is a change; a path hashed on one side only is said to be not compared.",
      "Filters (--key, --file, --exe, --pid, --op, --success, --uid, --phase, --start, --end) select the events of"
          + " logs before comparing; they refuse saved events and file lists.",
      "",
      "Exit codes: 0 equal (or all approved), 1 different (or paths not approved), 2 usage, 65 bad input, 74 I/O error.",
      "Exit 3: a side lost records, said first (a file missing from it may be a lost record)."
    },
    footer = Help.TIME)
final class DiffCommand implements Callable<Integer> {

  /** A side lost records: its differences may be loss, not change. */
  static final int LOST = 3;

  @Mixin
  FilterOptions filters;

  @Parameters(
      arity = "1..2",
      paramLabel = "INPUT",
      description = "A and B; with --baseline, only the input to check.")
  List<String> inputs = new ArrayList<>();

  @Option(
      names = "--baseline",
      paramLabel = "FILE",
      description =
          "The approved paths: a JSON array or one per line (such as a files_used_during_boot list);"
              + " or with their content: sha256sum output, or an IMA measurement list.")
  Path baseline;

  @Option(
      names = "--ima",
      paramLabel = "FILE",
      description =
          "The IMA measurement list of each input, in the inputs' order (one per input): its hashes are compared.")
  List<Path> ima = new ArrayList<>();

  @Option(
      names = "--allow",
      paramLabel = "GLOB",
      description =
          "With --baseline: let paths matching this glob through, e.g. '/var/log/**' (repeatable).")
  List<String> allow = new ArrayList<>();

  @Option(
      names = "--allow-volatile",
      description =
          "With --baseline: also allow /var/log/**, /run/**, /tmp/**, /var/tmp/**, /proc/**, /sys/** and /dev/**.")
  boolean allowVolatile;

  @Option(
      names = "--boot",
      paramLabel = "N",
      description = "Boot to take from each log or event set (default: the last).")
  Integer boot;

  @Option(
      names = "--target",
      paramLabel = "DIR",
      description = "Compare only files under DIR (repeatable); differences are counted per DIR.")
  List<String> targets = new ArrayList<>();

  @Mixin
  ReportOutputOptions out;

  @Option(names = "--lenient", description = "Logs: skip bad lines (default: stop at the first).")
  boolean lenient;

  @Option(
      names = "--until",
      paramLabel = "WHEN",
      defaultValue = "login",
      description = "Logs: end of each boot's window, as for 'events' (default login).")
  String until;

  @Option(
      names = "--tz",
      paramLabel = "ZONE",
      description = "Zone of times given without one (default: this host's).")
  String tz;

  @Option(
      names = "--max-line-length",
      paramLabel = "BYTES",
      defaultValue = "65536",
      description = "Logs: longest line accepted (default ${DEFAULT-VALUE}).")
  int maxLine;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    checkUsage();
    InputOptions logs = logOptions();
    TimeSyntax times = logs.times();
    NameOptions names = new NameOptions();
    filters.check(times, names);
    FileSetReader reader = new FileSetReader(
        name -> {
          logs.logs = List.of(name);
          return logs.open();
        },
        boot == null ? OptionalInt.empty() : OptionalInt.of(boot),
        targets,
        FilterOptions.forDiff(filters, times, names));
    List<FileSet> sides = new ArrayList<>();
    boolean same;
    Map<String, Object> json;
    String text;
    if (baseline != null) {
      List<String> globs = new ArrayList<>(allow);
      if (allowVolatile) {
        globs.addAll(Baseline.VOLATILE);
      }
      var approved = FileSetReader.readApproved(baseline);
      FileSet checked = reader.read(inputs.get(0), imaOf(0));
      sides.add(checked);
      Baseline b = Baseline.check(
          checked, baseline.toString(), approved, FileSetReader.readHashes(baseline), globs);
      same = b.passed();
      json = b.json();
      text = b.text();
    } else {
      Diff d = Diff.of(
          reader.read(inputs.get(0), imaOf(0)), reader.read(inputs.get(1), imaOf(1)), targets);
      sides.add(d.a());
      sides.add(d.b());
      same = d.equal();
      json = d.json();
      text = d.text();
    }
    Map<String, Object> tree = json;
    String words = text;
    out.write(inputs, () -> tree, () -> words);
    boolean lost = false;
    for (FileSet side : sides) {
      for (String l : side.loss()) {
        System.err.println(
            "bootaudit: warning: " + side.name() + " (" + side.boot() + ") lost records: " + l);
        lost = true;
      }
    }
    if (lost) {
      return LOST;
    }
    // 1 is Main's code for a bug when an exception escapes; here it is returned on purpose
    return same ? Main.OK : 1;
  }

  private void checkUsage() {
    out.check();
    if (baseline == null && inputs.size() != 2) {
      throw usage("diff needs two inputs A and B, or --baseline FILE and one input");
    }
    if (baseline != null && inputs.size() != 1) {
      throw usage("with --baseline, give one input to check, found " + inputs.size());
    }
    if (!ima.isEmpty() && ima.size() != inputs.size()) {
      throw usage("give one --ima per input (" + inputs.size() + "), found " + ima.size());
    }
    if (baseline == null && (allowVolatile || !allow.isEmpty())) {
      throw usage("--allow and --allow-volatile need --baseline");
    }
  }

  private java.util.Optional<Path> imaOf(int input) {
    return ima.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(ima.get(input));
  }

  private InputOptions logOptions() {
    InputOptions o = new InputOptions();
    o.lenient = lenient;
    o.until = until;
    o.maxLine = maxLine;
    o.verbose = verbose;
    o.tz = tz;
    o.window();
    return o;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(new CommandLine(this), message);
  }
}
