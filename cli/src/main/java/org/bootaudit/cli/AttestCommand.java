package org.bootaudit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bootaudit.analysis.Attestation;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.LogSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bootaudit attest}: the controls that require auditing from boot, with their evidence. */
@Command(
    name = "attest",
    mixinStandardHelpOptions = true,
    description = {
      "Check the controls that require auditing from boot against the log itself and, with --root, the booted root's"
          + " boot entries: DISA STIG RHEL 9 V-257796 and V-258173, the CIS checks for auditing before auditd and a"
          + " sufficient audit_backlog_limit, DISA GPOS SRG V-203670. Each passes, fails or cannot be told, with its"
          + " evidence (boots, serials, files and lines).",
      "",
      "Exit codes: 0 every control passes, 1 a control fails, 3 none fails but one cannot be told, 2 usage, 65 bad input,"
          + " 74 I/O error."
    })
final class AttestCommand implements Callable<Integer> {

  static final int CANNOT_TELL = 3;

  @Mixin
  InputOptions input;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "The booted root's directory: check audit=1 and audit_backlog_limit on its boot entries.")
  Path root;

  @Mixin
  ReportOutputOptions out;

  @Override
  public Integer call() throws Exception {
    out.check();
    if (root != null && !Files.isDirectory(root)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--root expects a directory, found '" + root + "'");
    }
    LogSummary summary;
    try (EventStream events = input.open()) {
      events.forEachRemaining(e -> {});
      summary = events.summary();
    }
    Attestation a = Attestation.check(summary, Optional.ofNullable(root));
    out.write(input.logs, a::json, a::text);
    return switch (a.overall()) {
      case PASS -> Main.OK;
      case FAIL -> 1;
      case CANNOT_TELL -> CANNOT_TELL;
    };
  }
}
