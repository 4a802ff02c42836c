package org.bootaudit.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bootaudit.analysis.EventFilter;
import org.bootaudit.analysis.FileSetReader;
import org.bootaudit.analysis.TimeSyntax;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.LogSummary;
import org.bootaudit.core.Op;
import org.bootaudit.core.Phase;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** ausearch's selection options, shared by events, report and diff; the logic is {@link EventFilter}. */
final class FilterOptions {

  @Option(
      names = {"-k", "--key"},
      paramLabel = "KEY",
      description = "Events of the audit rule key KEY (repeatable: any of them).")
  List<String> keys = new ArrayList<>();

  @Option(
      names = "--file",
      paramLabel = "PATH",
      description =
          "Events naming PATH: exactly, a directory holding it, or a glob such as '/etc/**.conf' (repeatable).")
  List<String> files = new ArrayList<>();

  @Option(
      names = {"-x", "--exe"},
      paramLabel = "EXE",
      description =
          "Events of the executable EXE: a full path or glob, or a bare name (matches exe's file name or comm).")
  List<String> exes = new ArrayList<>();

  @Option(
      names = {"-p", "--pid"},
      paramLabel = "PID",
      description = "Events of process PID (repeatable).")
  List<Integer> pids = new ArrayList<>();

  @Option(
      names = "--children",
      description = "With --pid: the process's descendants too, from the log's process tree.")
  boolean children;

  @Option(
      names = "--op",
      split = ",",
      paramLabel = "OP",
      description =
          "Events of these operations: create, read, write, exec, delete, rename, attr, mount, umount.")
  List<String> ops = new ArrayList<>();

  @Option(
      names = "--success",
      paramLabel = "yes|no",
      description = "Only successful (yes) or failed (no) calls.")
  String success;

  @Option(
      names = {"-ui", "--uid"},
      paramLabel = "UID",
      description = "Events of processes with real uid UID (a number, or a name with --passwd).")
  List<String> uids = new ArrayList<>();

  @Option(
      names = "--phase",
      split = ",",
      paramLabel = "PHASE",
      description = "Events of these phases: initramfs, root, auditd, after-window.")
  List<String> phases = new ArrayList<>();

  @Option(
      names = "--start",
      paramLabel = "TIME",
      description = "Events at or after TIME (see TIME below).")
  String start;

  @Option(
      names = "--end",
      paramLabel = "TIME",
      description = "Events before the end of TIME: a date takes its whole day, HH:MM its minute.")
  String end;

  /** True when a criterion was given that a non-log input (saved events, a file list) cannot answer. */
  boolean any() {
    return !keys.isEmpty()
        || !files.isEmpty()
        || !exes.isEmpty()
        || !pids.isEmpty()
        || !ops.isEmpty()
        || success != null
        || !uids.isEmpty()
        || !phases.isEmpty()
        || start != null
        || end != null;
  }

  /** The filter for one read of {@code events}; {@code names} turns user names into uids. */
  EventFilter build(EventStream events, TimeSyntax times, NameOptions names) {
    EventFilter.Builder b = EventFilter.builder();
    keys.forEach(b::key);
    for (String f : files) {
      try {
        b.file(f);
      } catch (IllegalArgumentException e) {
        throw usage("--file: " + e.getMessage());
      }
    }
    exes.forEach(b::exe);
    pids.forEach(b::pid);
    if (children) {
      if (pids.isEmpty()) {
        throw usage("--children needs --pid PID");
      }
      b.children(EventFilter.parentsFrom(events));
    }
    if (!ops.isEmpty()) {
      b.ops(ops(ops, "--op"));
    }
    if (success != null) {
      b.success(yesNo(success));
    }
    uids.forEach(u -> b.uid(names.uid(u)));
    for (String p : phases) {
      try {
        b.phase(Phase.fromLabel(p.strip()));
      } catch (IllegalArgumentException e) {
        throw usage("--phase expects initramfs, root, auditd or after-window, found '" + p + "'");
      }
    }
    if (start != null) {
      b.start(time(times, start, TimeSyntax.Bound.START, "--start"));
    }
    if (end != null) {
      b.end(time(times, end, TimeSyntax.Bound.END, "--end"));
    }
    return b.build();
  }

  /** Checks the values before any input is read, so that a typo costs no read. */
  void check(TimeSyntax times, NameOptions names) {
    build(null, times, names);
  }

  /** Warns on stderr when the filter selected nothing, with where the log's times lie. */
  static void warnIfEmpty(EventFilter f, LogSummary summary, TimeSyntax times) {
    f.emptyWarning(summary, times.zone())
        .ifPresent(w -> System.err.println("bootaudit: warning: " + w));
  }

  static Set<Op> ops(List<String> labels, String option) {
    Set<Op> keep = EnumSet.noneOf(Op.class);
    for (String o : labels) {
      try {
        keep.add(Op.fromLabel(o.strip()));
      } catch (IllegalArgumentException e) {
        throw usage(option + " expects " + opList() + "; found '" + o + "'");
      }
    }
    return keep;
  }

  private static String opList() {
    return String.join(", ", java.util.Arrays.stream(Op.values()).map(Op::label).toList());
  }

  static java.time.Instant time(
      TimeSyntax times, String text, TimeSyntax.Bound bound, String option) {
    try {
      return times.parse(text, bound);
    } catch (IllegalArgumentException e) {
      throw usage(option + ": " + e.getMessage());
    }
  }

  private static boolean yesNo(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "yes", "y", "true" -> true;
      case "no", "n", "false" -> false;
      default -> throw usage("--success expects yes or no, found '" + v + "'");
    };
  }

  /** For diff: the reader of its inputs, refusing filters on inputs that are not logs. */
  static FileSetReader.Filters forDiff(FilterOptions f, TimeSyntax times, NameOptions names) {
    return f.any() ? events -> f.build(events, times, names) : null;
  }

  static CommandLine.ParameterException usage(String message) {
    // a bare spec: Main names the command that ran in the 'Try ... --help' line
    return new CommandLine.ParameterException(
        new CommandLine(CommandLine.Model.CommandSpec.create()), message);
  }
}
