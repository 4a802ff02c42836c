package org.bootaudit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bootaudit.analysis.ImaAudit;
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
      "IMA's own audit records (INTEGRITY_RULE, from a policy rule with the action 'audit') in the log join their"
          + " events directly, by serial: they give the hash without a measurement list, and check one when both are there.",
      "Lists the files, then the executed files IMA did not measure and the measurements no audit event matched."
    })
final class ImaCommand implements Callable<Integer> {

  @Mixin
  InputOptions input;

  @Option(
      names = "--measurements",
      paramLabel = "FILE",
      description =
          "The boot's IMA measurement list (needed unless the log holds INTEGRITY_RULE records).")
  Path measurements;

  @Mixin
  ReportOutputOptions out;

  @Override
  public Integer call() throws Exception {
    out.check();
    List<ImaAudit.Record> records = ImaAudit.read(logPaths());
    if (measurements == null
        && records.stream().noneMatch(r -> r.type().equals("INTEGRITY_RULE"))) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "give --measurements FILE: the log holds no INTEGRITY_RULE records (IMA's policy has no"
              + " 'audit' rule)");
    }
    ImaJoin join =
        new ImaJoin(measurements == null ? List.of() : ImaLog.read(measurements), records);
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
    if (measurements != null) {
      inputs.add(measurements.toString());
    }
    out.write(inputs, () -> json(join, records), () -> text(join, records));
    return Main.OK;
  }

  /** The log's paths, for IMA's records; stdin is read once, by core, so it has none. */
  private List<Path> logPaths() {
    return input.logs.stream().filter(l -> !l.equals("-")).map(Path::of).toList();
  }

  private static String text(ImaJoin join, List<ImaAudit.Record> all) {
    List<ImaJoin.JoinedFile> files = join.files();
    StringBuilder sb = new StringBuilder();
    for (ImaJoin.JoinedFile f : files) {
      sb.append(String.format(
          "%-10s %-4s %-71s %s%s%s%n",
          f.phase().label(),
          f.op().label(),
          f.hash().orElse("(not measured)"),
          f.path(),
          f.sameAsInitramfs() ? " (as in the initramfs)" : "",
          source(f)));
    }
    List<ImaJoin.JoinedFile> unmeasured = join.unmeasured();
    sb.append(files.size())
        .append(" files executed or read, ")
        .append(files.stream().filter(f -> f.hash().isPresent()).count())
        .append(" with IMA's hash; ")
        .append(unmeasured.size())
        .append(" executed and not measured; ")
        .append(join.unmatched().size())
        .append(" measurements without an audit event\n");
    records(sb, join, all);
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

  /** Where a hash came from, when an audit record took part. */
  private static String source(ImaJoin.JoinedFile f) {
    if (f.record().isEmpty()) {
      return "";
    }
    if (f.measurement().isEmpty()) {
      String file = f.record().get().file().orElse(f.path());
      return " (INTEGRITY_RULE serial " + f.record().get().serial()
          + (file.equals(f.path()) ? "" : ": " + file) + ")";
    }
    return f.agree()
        ? " (INTEGRITY_RULE agrees)"
        : " (INTEGRITY_RULE differs: " + f.record().get().hash().orElse("") + ")";
  }

  /** What IMA's audit records add: how many joined, and the other INTEGRITY_ records by type. */
  private static void records(StringBuilder sb, ImaJoin join, List<ImaAudit.Record> all) {
    if (all.isEmpty()) {
      return;
    }
    int rules = join.records().size();
    if (rules > 0) {
      long joined = join.files().stream().filter(f -> f.record().isPresent()).count();
      long disagree = join.files().stream().filter(f -> !f.agree()).count();
      sb.append(rules)
          .append(" INTEGRITY_RULE records: ")
          .append(joined)
          .append(" files got one from their own event; ")
          .append(join.unmatchedRecords().size())
          .append(" records without an exec or read event")
          .append(disagree > 0 ? "; " + disagree + " differ from the measurement" : "")
          .append('\n');
    }
    Map<String, List<ImaAudit.Record>> other = new java.util.TreeMap<>();
    for (ImaAudit.Record r : all) {
      if (!r.type().equals("INTEGRITY_RULE")) {
        other.computeIfAbsent(r.type(), k -> new ArrayList<>()).add(r);
      }
    }
    other.forEach((type, list) -> {
      sb.append(type).append(": ").append(list.size()).append(" record(s)\n");
      list.stream()
          .limit(10)
          .forEach(r -> sb.append("  ")
              .append(Path.of(r.location().source()).getFileName())
              .append(':')
              .append(r.location().line())
              .append(": serial ")
              .append(r.serial())
              .append(' ')
              .append(describe(r))
              .append('\n'));
    });
  }

  private static String describe(ImaAudit.Record r) {
    StringBuilder sb = new StringBuilder();
    for (String k : List.of("op", "cause", "comm", "name", "file", "res")) {
      String v = r.fields().get(k);
      if (v != null) {
        sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v);
      }
    }
    return sb.toString();
  }

  private static Map<String, Object> json(ImaJoin join, List<ImaAudit.Record> all) {
    List<Object> files = new ArrayList<>();
    for (ImaJoin.JoinedFile f : join.files()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", f.path());
      m.put("phase", f.phase().label());
      m.put("op", f.op().label());
      m.put("serial", f.firstSerial());
      m.put("hash", f.hash().orElse(null));
      m.put("measurement", f.measurement().map(ImaLog.Measurement::index).orElse(null));
      m.put("sameAsInitramfs", f.sameAsInitramfs());
      m.put("recordSerial", f.record().map(ImaAudit.Record::serial).orElse(null));
      m.put("recordHash", f.record().flatMap(ImaAudit.Record::hash).orElse(null));
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
    root.put("integrityRuleRecords", join.records().size());
    root.put(
        "unmatchedRecords",
        join.unmatchedRecords().stream()
            .map(r -> r.serial() + " " + r.file().orElse(""))
            .toList());
    List<Object> other = new ArrayList<>();
    for (ImaAudit.Record r : all) {
      if (!r.type().equals("INTEGRITY_RULE")) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", r.type());
        m.put("serial", r.serial());
        m.put("location", r.location().toString());
        m.put("fields", r.fields());
        other.add(m);
      }
    }
    root.put("otherRecords", other);
    return root;
  }
}
