package org.bootaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads every profile and a generated rule set into the running kernel with {@code auditctl -R},
 * lists them back with {@code auditctl -l} and parses the listing back to the same rules.
 * Skipped, with the reason, without root, auditctl or kernel audit support, or when someone
 * else's rules or auditd are live; always clears its own rules and restores the backlog settings.
 */
class KernelRoundTripTest {

  @TempDir
  Path tmp;

  private Path auditctl;

  /** Output and exit code of one command. */
  private record Run(int code, String out) {}

  @BeforeEach
  void requireQuietKernel() throws IOException, InterruptedException {
    Optional<Path> found = List.of("/usr/sbin/auditctl", "/sbin/auditctl").stream()
        .map(Path::of)
        .filter(Files::isExecutable)
        .findFirst();
    assumeTrue(found.isPresent(), "auditctl not installed (auditd package)");
    auditctl = found.orElseThrow();
    assumeTrue(
        run("id", "-u").out().strip().equals("0"),
        "not root: loading audit rules needs CAP_AUDIT_CONTROL");
    Run status = auditctl("-s");
    assumeTrue(status.code() == 0, "kernel audit not available: " + status.out().strip());
    assumeTrue(
        status("pid", status.out()).equals("0"),
        "auditd (pid " + status("pid", status.out()) + ") is connected; not touching its rules");
    Run list = auditctl("-l");
    assumeTrue(
        list.out().strip().equals("No rules"),
        "audit rules already loaded by someone else; not clobbering them");
  }

  @Test
  void earlyBootRoundTrips() throws Exception {
    roundTrip(AuditRules.profileText("early-boot").orElseThrow());
  }

  @Test
  void earlyBootExecRoundTripsAndADifferentRuleIsNotEqual() throws Exception {
    RuleSet listed = roundTrip(AuditRules.profileText("early-boot-exec").orElseThrow());
    RuleSet different = AuditRules.parse(
        "-a always,exit -F arch=b64 -S execve -k ba_exec\n"
            + "-a always,exit -F arch=b32 -S execve,execveat -k ba_exec\n",
        "different");
    assertThat(listed.sameKernelRules(different)).isFalse();
  }

  @Test
  void generatedTargetRulesRoundTrip() throws Exception {
    roundTrip(AuditRules.generate(new TargetsConfig(List.of("/etc", "/usr/bin/"), List.of(".png")))
        .text());
  }

  @Test
  void respelledRulesRoundTrip() throws Exception {
    RuleSet listed =
        roundTrip("-a exit,always -F arch=b64 -S openat,open -F auid>=1000 -F auid!=unset -k k\n"
            + "-a always,exit -F arch=b32 -S chmod -F a1&0100 -C auid!=obj_uid\n-a never,exit -S all -F uid=0 -F auid=4294967295\n"
            + "-a always,exit -S all -F dir=/etc -F perm=wa -k etc\n");
    assertThat(listed.rules())
        .extracting(Rule::kind)
        .containsExactly(Rule.Kind.SYSCALL, Rule.Kind.SYSCALL, Rule.Kind.SYSCALL, Rule.Kind.WATCH);
  }

  /** Loads, lists, parses back and compares; returns the listing parsed. */
  private RuleSet roundTrip(String text) throws Exception {
    RuleSet expected = AuditRules.parse(text, "expected");
    Path file = Files.writeString(tmp.resolve("test.rules"), text);
    Run before = auditctl("-s");
    try {
      Run load = auditctl("-R", file.toString());
      assertThat(load.code()).as(load.out()).isZero();
      Run listing = auditctl("-l");
      RuleSet listed = AuditRules.parse(listing.out(), "auditctl -l");
      assertThat(listed.kernelRules()).containsExactlyElementsOf(expected.kernelRules());
      assertThat(listed.sameKernelRules(expected)).isTrue();
      return listed;
    } finally {
      auditctl("-D");
      auditctl("-b", status("backlog_limit", before.out()));
      auditctl("--backlog_wait_time", status("backlog_wait_time", before.out()));
    }
  }

  private static String status(String name, String status) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)").matcher(status);
    return m.find() ? m.group(1) : "?";
  }

  private Run auditctl(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = auditctl.toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    return run(cmd);
  }

  private static Run run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }
}
