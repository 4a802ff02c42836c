package org.bootaudit.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bootaudit.analysis.AtimeConfig;
import org.bootaudit.analysis.AtimeScan;
import org.bootaudit.analysis.Mounts;
import org.bootaudit.analysis.PathList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bootaudit atime}: the original post's atime scan, as a cross-check of the audit log. */
@Command(
    name = "atime",
    mixinStandardHelpOptions = true,
    description = {
      "List the regular files under the targets whose access time lies in the boot window (the original post's method 2),"
          + " as a sorted JSON array (files_used_during_boot).",
      "The window is boot_start..boot_finish (local time, whole minutes included); without a start, the kernel's boot time"
          + " (/proc/stat btime); without a finish, now. Symbolic links are never followed.",
      "Warns when a target is mounted relatime or noatime: the list is then incomplete."
    })
final class AtimeCommand implements Callable<Integer> {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "access_time.cfg: boot_start, boot_finish, targets, excluded_extension.")
  Path config;

  @Option(
      names = "--boot-start",
      paramLabel = "TIME",
      description = "Start of the window, a TIME as for events (overrides the config).")
  String bootStart;

  @Option(
      names = "--boot-finish",
      paramLabel = "TIME",
      description =
          "End of the window, a TIME as for events; a date or HH:MM takes its whole day or minute (overrides the config).")
  String bootFinish;

  @Option(
      names = "--target",
      paramLabel = "DIR",
      description = "Directory to scan (repeatable; adds to the config's targets).")
  List<String> targets = new ArrayList<>();

  @Option(
      names = "--exclude-ext",
      paramLabel = "EXT",
      description = "Leave out files ending in EXT, e.g. .png (repeatable).")
  List<String> excluded = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of stdout; the file appears only when complete.")
  String output;

  @Option(names = "--mountinfo", hidden = true, defaultValue = "/proc/self/mountinfo")
  Path mountinfo;

  @Option(names = "--proc-stat", hidden = true, defaultValue = "/proc/stat")
  Path procStat;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    AtimeConfig cfg = config == null ? AtimeConfig.empty() : AtimeConfig.read(config);
    Set<String> dirs = new LinkedHashSet<>(cfg.targets());
    dirs.addAll(targets);
    if (dirs.isEmpty()) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "no targets: give --target DIR or a --config with \"targets\"");
    }
    Instant from = bootStart != null
        ? local(bootStart, false, "--boot-start")
        : cfg.start().isPresent() ? cfg.start().get() : AtimeConfig.bootTime(procStat);
    Instant until = bootFinish != null
        ? local(bootFinish, true, "--boot-finish")
        : cfg.finish().orElse(Instant.now());
    if (!from.isBefore(until)) {
      throw new BadInputException(
          "the boot window is empty: start " + from + " is not before finish " + until);
    }
    List<String> ext = new ArrayList<>(cfg.excluded());
    ext.addAll(excluded);
    List<Path> paths = dirs.stream().map(Path::of).toList();
    PrintStream err = System.err;
    warnAboutMounts(paths, err);
    AtimeScan.Result r = new AtimeScan(from, until, ext).scan(paths);
    try (Output out = Output.open(output)) {
      PathList.write(r.files(), out.stream());
      out.commit();
    }
    r.notes().forEach(n -> err.println("bootaudit: note: " + n));
    if (r.unreadable() > 0) {
      err.println("bootaudit: warning: " + r.unreadable()
          + " director(ies) or file(s) could not be read; their files are missing from the list");
    }
    err.println("bootaudit: " + r.files().size() + " of " + r.scanned() + " files accessed in "
        + from + " .. " + until);
    return Main.OK;
  }

  private Instant local(String text, boolean end, String option) {
    try {
      return AtimeConfig.parseLocal(text, end);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), option + " " + e.getMessage());
    }
  }

  private void warnAboutMounts(List<Path> dirs, PrintStream err) {
    Mounts mounts = Mounts.read(mountinfo);
    Set<Mounts.Mount> warned = new LinkedHashSet<>();
    for (Path d : dirs) {
      String real;
      try {
        real = d.toRealPath().toString();
      } catch (java.io.IOException e) {
        continue;
      }
      for (Mounts.Mount m : mounts.covering(real)) {
        if (!m.atimeMode().equals("strictatime") && warned.add(m)) {
          err.println("bootaudit: warning: " + m.point() + " (" + m.fsType() + ") is mounted "
              + m.atimeMode() + ": "
              + (m.atimeMode().equals("noatime")
                  ? "atime never updates, so its files cannot be found this way"
                  : "atime only updates once a day under relatime: the list is incomplete")
              + " (remount with strictatime for this method)");
        }
      }
    }
  }
}
