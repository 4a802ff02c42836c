package org.bootaudit.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.LogSummary;
import org.bootaudit.core.Phase;

/**
 * The controls that require auditing from boot, checked against the log itself and, when given,
 * the root's boot configuration: each control passes, fails, or cannot be told, with the evidence
 * (serials, records, files and lines).
 *
 * <p>From the log: whether records were made before auditd connected (the kernel audited from its
 * start, {@code audit=1}), the {@code audit_backlog_limit} in force and whether the hold queue
 * overflowed, whether the log holds the boot from its first records, and its losses. From the root
 * ({@code /etc/default/grub}, {@code /boot/grub/grub.cfg}, {@code /boot/loader/entries/*.conf},
 * {@code /etc/kernel/cmdline}): whether every boot entry has {@code audit=1} and a sufficient
 * {@code audit_backlog_limit}.
 */
public final class Attestation {

  /** What a control came to. */
  public enum Verdict {
    /** The evidence shows the control met. */
    PASS,
    /** The evidence shows it not met. */
    FAIL,
    /** The evidence is not enough to tell. */
    CANNOT_TELL;

    /** {@code pass}, {@code fail} or {@code cannot tell}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private Verdict and(Verdict o) {
      if (this == FAIL || o == FAIL) {
        return FAIL;
      }
      return this == CANNOT_TELL || o == CANNOT_TELL ? CANNOT_TELL : PASS;
    }
  }

  /**
   * One control's result.
   *
   * @param id the control's identifiers, e.g. {@code DISA STIG RHEL 9 V-257796}
   * @param requirement what it requires, in a line
   * @param verdict what the evidence came to
   * @param evidence the facts, each naming where it comes from (boot and serial, file and line)
   */
  public record Finding(String id, String requirement, Verdict verdict, List<String> evidence) {

    /** Copies the evidence. */
    public Finding {
      evidence = List.copyOf(evidence);
    }
  }

  // a kernel argument, alone or inside grub's quoted GRUB_CMDLINE_LINUX="..."
  private static final Pattern AUDIT = Pattern.compile("(?:^|[\\s\"'])audit=([^\\s\"']*)");
  private static final Pattern BACKLOG =
      Pattern.compile("(?:^|[\\s\"'])audit_backlog_limit=([^\\s\"']*)");

  private final List<Finding> findings;

  private Attestation(List<Finding> findings) {
    this.findings = List.copyOf(findings);
  }

  /**
   * Checks the controls against a log's summary and, when given, the root file system it booted.
   *
   * @param log the summary of the whole log (read it to its end first)
   * @param root the booted root's directory, to check its boot entries; empty to check the log only
   * @throws IOException if a file of the root cannot be read
   */
  public static Attestation check(LogSummary log, Optional<Path> root) throws IOException {
    Evidence fromLog = new Evidence();
    Evidence backlog = new Evidence();
    Evidence startup = new Evidence();
    if (log.boots().isEmpty()) {
      String none = "the log holds no boot (" + log.lines() + " lines read)";
      fromLog.note(Verdict.CANNOT_TELL, none);
      backlog.note(Verdict.CANNOT_TELL, none);
      startup.note(Verdict.CANNOT_TELL, none);
    }
    for (BootSummary b : log.boots()) {
      beforeAuditd(b, fromLog);
      backlog(b, backlog);
      startup(b, startup);
    }
    Evidence config = new Evidence();
    Evidence configBacklog = new Evidence();
    if (root.isPresent()) {
      bootEntries(root.get(), config, configBacklog);
    } else {
      String not = "the root's boot entries were not checked (give the root's directory)";
      config.note(Verdict.PASS, not);
      configBacklog.note(Verdict.PASS, not);
    }
    Evidence prior = fromLog.plus(config);
    Evidence limit = backlog.plus(configBacklog);
    List<Finding> out = new ArrayList<>();
    out.add(
        prior.finding(
            "DISA STIG RHEL 9 V-257796 (RHEL-09-212055)",
            "auditing of processes that start before auditd: audit=1 on every boot entry and in /etc/default/grub"));
    out.add(limit.finding(
        "DISA STIG RHEL 9 V-258173 (RHEL-09-653120)",
        "audit_backlog_limit of at least " + BootSummary.Backlog.MIN_LIMIT
            + ", and no overflow during boot"));
    out.add(prior.finding(
        "CIS: ensure auditing for processes that start prior to auditd is enabled",
        "audit=1 on the kernel command line; records made before auditd started"));
    out.add(limit.finding(
        "CIS: ensure audit_backlog_limit is sufficient",
        "a limit of at least " + BootSummary.Backlog.MIN_LIMIT
            + " that the boot's held records did not reach"));
    out.add(
        startup.finding(
            "DISA GPOS SRG V-203670",
            "audit records from system start-up: the log holds each boot from its first records, none lost"));
    return new Attestation(out);
  }

  /** Every control's finding, in a fixed order. */
  public List<Finding> findings() {
    return findings;
  }

  /** FAIL when a control failed, else CANNOT_TELL when one could not be told, else PASS. */
  public Verdict overall() {
    Verdict v = Verdict.PASS;
    for (Finding f : findings) {
      v = v.and(f.verdict());
    }
    return v;
  }

  /** The findings as text for people: a line per control, its evidence indented below it. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (Finding f : findings) {
      sb.append(String.format("%-11s %s%n", f.verdict().label().toUpperCase(Locale.ROOT), f.id()));
      sb.append("            requires: ").append(f.requirement()).append('\n');
      for (String e : f.evidence()) {
        sb.append("            - ").append(e).append('\n');
      }
    }
    sb.append("overall: ").append(overall().label()).append('\n');
    return sb.toString();
  }

  /** The findings as a JSON tree for tools. */
  public Map<String, Object> json() {
    List<Object> list = new ArrayList<>();
    for (Finding f : findings) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("control", f.id());
      m.put("requirement", f.requirement());
      m.put("verdict", f.verdict().label());
      m.put("evidence", f.evidence());
      list.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("controls", list);
    root.put("overall", overall().label());
    return root;
  }

  /** Records made before auditd connected: the kernel audited from its start. */
  private static void beforeAuditd(BootSummary b, Evidence ev) {
    String boot = "boot " + b.boot() + LossText.nodeSuffix(b) + ": ";
    OptionalLong held = b.backlog().held();
    long early = b.phases().count(Phase.INITRAMFS) + b.phases().count(Phase.ROOT);
    if (held.isPresent() && held.getAsLong() > 0) {
      ev.note(
          Verdict.PASS,
          boot + held.getAsLong() + " records made before auditd connected (serials "
              + b.firstSerial() + " to "
              + (b.phases().auditd().orElseThrow().serial().getAsLong() - 1) + ", "
              + early + " file events in the initramfs and root phases)");
    } else if (held.isPresent()) {
      ev.note(
          Verdict.FAIL,
          boot + "no record was made before auditd connected ("
              + describe(b.phases().auditd()) + "); the log starts at serial " + b.firstSerial()
              + ": the kernel did not audit from its start (no audit=1)");
    } else if (startsAfterAuditd(b)) {
      ev.note(
          Verdict.FAIL,
          boot + "the first record (serial " + b.firstSerial() + " at " + b.start()
              + ") came after auditd"
              + " started (DAEMON_START at " + b.daemonStarts().get(0)
              + "): nothing was recorded before auditd, the kernel did"
              + " not audit from its start (no audit=1)");
    } else if (b.firstSerial() <= 3 && early > 0) {
      ev.note(
          Verdict.PASS,
          boot + "the log holds the boot from serial " + b.firstSerial() + ", with " + early
              + " file events before auditd (auditd's audit_pid record is not in the log)");
    } else {
      ev.note(
          Verdict.CANNOT_TELL,
          boot + "the log shows neither auditd connecting (audit_pid) nor the boot's first"
              + " records (it starts at serial " + b.firstSerial() + ")");
    }
  }

  /** The limit in force before auditd, and whether the hold queue overflowed. */
  private static void backlog(BootSummary b, Evidence ev) {
    String boot = "boot " + b.boot() + LossText.nodeSuffix(b) + ": ";
    BootSummary.Backlog q = b.backlog();
    if (q.limit().isPresent() && startsAfterAuditd(b)) {
      ev.note(
          Verdict.CANNOT_TELL,
          boot + "audit_backlog_limit " + q.limit().getAsLong() + " set at serial "
              + q.limitSerial().getAsLong()
              + ", after auditd started: the limit during boot before auditd is not in the log"
              + " (the kernel's default is 64 unless the command line sets one)");
    } else if (q.limit().isPresent()) {
      long limit = q.limit().getAsLong();
      boolean enough = limit == 0 || limit >= BootSummary.Backlog.MIN_LIMIT;
      ev.note(
          enough ? Verdict.PASS : Verdict.FAIL,
          boot + "audit_backlog_limit " + (limit == 0 ? "0 (no limit)" : limit) + " set at serial "
              + q.limitSerial().getAsLong());
    } else {
      ev.note(
          Verdict.CANNOT_TELL,
          boot + "the log does not show the audit_backlog_limit in force"
              + " (no CONFIG_CHANGE audit_backlog_limit record before auditd)");
    }
    if (q.overflowed() || b.loss().kernelLost() > 0 || b.loss().overflows() > 0) {
      ev.note(
          Verdict.FAIL,
          boot + "the hold queue overflowed or the kernel lost records: "
              + LossText.loss(b.loss()));
    } else if (q.queued().isPresent()) {
      ev.note(
          Verdict.PASS,
          boot + q.queued().getAsLong() + " queue entries held before auditd connected"
              + (q.limit().orElse(0) > 0
                  ? String.format(
                      ", %.0f%% of the limit",
                      100.0 * q.queued().getAsLong() / q.limit().getAsLong())
                  : "")
              + "; no overflow, the kernel reported no loss");
    }
  }

  /** The log holds the boot from its first records, with nothing lost. */
  private static void startup(BootSummary b, Evidence ev) {
    String boot = "boot " + b.boot() + LossText.nodeSuffix(b) + ": ";
    if (startsAfterAuditd(b)) {
      ev.note(
          Verdict.FAIL,
          boot + "the first record (serial " + b.firstSerial() + " at " + b.start()
              + ") came after auditd" + " started (" + b.daemonStarts().get(0)
              + "): auditing began with auditd, not at start-up");
    } else if (b.firstSerial() <= 3) {
      ev.note(
          Verdict.PASS,
          boot + "the log holds the boot from serial " + b.firstSerial() + " at " + b.start());
    } else {
      ev.note(
          Verdict.FAIL,
          boot + "the log starts at serial " + b.firstSerial() + " at " + b.start()
              + ": the boot's earlier records are not in it");
    }
    if (!b.loss().measurable()) {
      ev.note(Verdict.CANNOT_TELL, boot + "loss " + LossText.loss(b.loss()));
    } else if (!b.loss().none()) {
      ev.note(Verdict.FAIL, boot + "loss: " + LossText.loss(b.loss()));
    } else {
      ev.note(
          Verdict.PASS,
          boot + "serials " + b.firstSerial() + " to " + b.lastSerial()
              + " contiguous, no loss reported");
    }
  }

  /**
   * The boot's first record came after auditd started: without audit=1 the kernel makes no record
   * until auditd enables auditing, so the serials start low all the same.
   */
  private static boolean startsAfterAuditd(BootSummary b) {
    return b.backlog().held().isEmpty()
        && !b.daemonStarts().isEmpty()
        && !b.start().isBefore(b.daemonStarts().get(0).minusSeconds(1));
  }

  /** audit=1 and audit_backlog_limit on every boot entry of the root, and in grub's defaults. */
  private static void bootEntries(Path root, Evidence audit, Evidence limit) throws IOException {
    List<Line> lines = new ArrayList<>();
    Path grub = root.resolve("etc/default/grub");
    if (Files.isRegularFile(grub)) {
      // grub's 10_linux puts GRUB_CMDLINE_LINUX on every entry, _DEFAULT only on the normal ones
      for (Line l : read(root, grub)) {
        if (l.text().startsWith("GRUB_CMDLINE_LINUX=")) {
          lines.add(l);
        }
      }
    }
    Path cfg = root.resolve("boot/grub/grub.cfg");
    if (Files.isRegularFile(cfg)) {
      for (Line l : read(root, cfg)) {
        if (l.text().startsWith("linux") && l.text().contains("vmlinuz")) {
          lines.add(l);
        }
      }
    }
    Path entries = root.resolve("boot/loader/entries");
    if (Files.isDirectory(entries)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(entries, "*.conf")) {
        for (Path p : ds) {
          for (Line l : read(root, p)) {
            if (l.text().startsWith("options")) {
              lines.add(l);
            }
          }
        }
      }
    }
    Path kernelCmdline = root.resolve("etc/kernel/cmdline");
    if (Files.isRegularFile(kernelCmdline)) {
      read(root, kernelCmdline).stream().filter(l -> !l.text().isEmpty()).forEach(lines::add);
    }
    if (lines.isEmpty()) {
      String none = "no boot entry found under " + root
          + " (etc/default/grub, boot/grub/grub.cfg, boot/loader/entries, etc/kernel/cmdline)";
      audit.note(Verdict.CANNOT_TELL, none);
      limit.note(Verdict.CANNOT_TELL, none);
      return;
    }
    for (Line l : lines) {
      Matcher a = AUDIT.matcher(l.text());
      String value = null;
      while (a.find()) {
        value = a.group(1); // the last one counts, as for the kernel
      }
      audit.note(
          "1".equals(value) ? Verdict.PASS : Verdict.FAIL,
          l.where() + ": " + (value == null ? "no audit=1" : "audit=" + value) + " in '"
              + shorten(l.text()) + "'");
      Matcher m = BACKLOG.matcher(l.text());
      String n = null;
      while (m.find()) {
        n = m.group(1);
      }
      if (n == null) {
        // the kernel's default of 64 before auditd; the rules may raise it, but only once loaded
        limit.note(
            Verdict.FAIL,
            l.where() + ": no audit_backlog_limit (the kernel keeps 64 until rules set one)");
      } else {
        boolean ok;
        try {
          ok = Long.parseLong(n) >= BootSummary.Backlog.MIN_LIMIT;
        } catch (NumberFormatException e) {
          ok = false;
        }
        limit.note(ok ? Verdict.PASS : Verdict.FAIL, l.where() + ": audit_backlog_limit=" + n);
      }
    }
  }

  private static String shorten(String s) {
    return s.length() <= 100 ? s : s.substring(0, 97) + "...";
  }

  /** A line of a root's file, with where it is ({@code /etc/default/grub:7}). */
  private record Line(String where, String text) {}

  private static List<Line> read(Path root, Path file) throws IOException {
    List<String> text = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    List<Line> out = new ArrayList<>();
    String name = "/" + root.relativize(file);
    for (int i = 0; i < text.size(); i++) {
      out.add(new Line(name + ":" + (i + 1), text.get(i).strip()));
    }
    return out;
  }

  private static String describe(Optional<BootSummary.Boundary> at) {
    return at.map(a ->
            (a.serial().isPresent() ? "serial " + a.serial().getAsLong() + ", " : "") + a.marker())
        .orElse("auditd's connection is not in the log");
  }

  /** Facts for one control, and the verdict they come to. */
  private static final class Evidence {
    private Verdict verdict = Verdict.PASS;
    private final List<String> facts = new ArrayList<>();

    void note(Verdict v, String fact) {
      verdict = verdict.and(v);
      facts.add(fact);
    }

    Evidence plus(Evidence o) {
      Evidence e = new Evidence();
      e.verdict = verdict.and(o.verdict);
      e.facts.addAll(facts);
      e.facts.addAll(o.facts);
      return e;
    }

    Finding finding(String id, String requirement) {
      return new Finding(id, requirement, verdict, facts);
    }
  }
}
