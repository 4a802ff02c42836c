package org.bootaudit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bootaudit.analysis.ImaJoin;
import org.bootaudit.analysis.ImaLog;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.Op;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bootaudit ima}: the content hash IMA measured for each file a boot executed or read. */
@Command(
    name = "ima",
    mixinStandardHelpOptions = true,
    description = {
      "Join a boot's IMA measurement list (ascii_ or binary_runtime_measurements, saved at the end of the boot) to its"
          + " audit log: each file executed or read gets the hash IMA measured, per file system (initramfs, root).",
      "Lists the files, then the executed files IMA did not measure and the measurements no audit event matched."
    })
final class ImaCommand implements Callable<Integer> {

  @Mixin
  InputOptions input;

  @Option(
      names = "--measurements",
      required = true,
      paramLabel = "FILE",
      description = "The boot's IMA measurement list.")
  Path measurements;

  @Option(
      names = {"-f", "--format"},
      defaultValue = "text",
      description = "text (default) or json.")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of stdout; the file appears only when complete.")
  String output;

  @Override
  public Integer call() throws Exception {
    boolean json = Formats.json(format, this);
    ImaJoin join = new ImaJoin(ImaLog.read(measurements));
    int boots;
    try (EventStream events = input.open()) {
      events.forEachRemaining(join);
      boots = events.summary().boots().size();
    }
    if (boots > 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "the log holds " + boots
              + " boots and a measurement list is one boot's: give that boot's log");
    }
    List<String> inputs = new ArrayList<>(input.logs);
    inputs.add(measurements.toString());
    try (Output out = Output.open(output, inputs)) {
      Formats.write(out.stream(), json, () -> json(join), () -> text(join));
      out.commit();
    }
    return Main.OK;
  }

  private static String text(ImaJoin join) {
    List<ImaJoin.JoinedFile> files = join.files();
    StringBuilder sb = new StringBuilder();
    for (ImaJoin.JoinedFile f : files) {
      sb.append(String.format(
          "%-10s %-4s %-71s %s%s%n",
          f.phase().label(),
          f.op().label(),
          f.measurement().map(ImaLog.Measurement::hash).orElse("(not measured)"),
          f.path(),
          f.sameAsInitramfs() ? " (as in the initramfs)" : ""));
    }
    List<ImaJoin.JoinedFile> unmeasured = join.unmeasured();
    sb.append(files.size())
        .append(" files executed or read, ")
        .append(files.stream().filter(f -> f.measurement().isPresent()).count())
        .append(" with IMA's hash; ")
        .append(unmeasured.size())
        .append(" executed and not measured; ")
        .append(join.unmatched().size())
        .append(" measurements without an audit event\n");
    for (ImaJoin.JoinedFile f : unmeasured) {
      sb.append("not measured: ")
          .append(f.phase().label())
          .append(' ')
          .append(f.path())
          .append(" (serial ")
          .append(f.firstSerial())
          .append(")\n");
    }
    return sb.toString();
  }

  private static Map<String, Object> json(ImaJoin join) {
    List<Object> files = new ArrayList<>();
    for (ImaJoin.JoinedFile f : join.files()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", f.path());
      m.put("phase", f.phase().label());
      m.put("op", f.op().label());
      m.put("serial", f.firstSerial());
      m.put("hash", f.measurement().map(ImaLog.Measurement::hash).orElse(null));
      m.put("measurement", f.measurement().map(ImaLog.Measurement::index).orElse(null));
      m.put("sameAsInitramfs", f.sameAsInitramfs());
      files.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("files", files);
    root.put(
        "unmeasuredExecs",
        join.unmeasured().stream().map(ImaJoin.JoinedFile::path).toList());
    root.put(
        "unmatchedMeasurements",
        join.unmatched().stream().map(m -> m.index() + " " + m.name()).toList());
    root.put("exec", join.files().stream().filter(f -> f.op() == Op.EXEC).count());
    return root;
  }
}
