package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running kernel accepts the built-in rules. Touches kernel state, so it runs only when
 * nobody uses audit here (no rules, no auditd, auditing disabled) and always clears up:
 * {@code auditctl -D} and the old backlog limit.
 */
class KernelRulesTest {
  @TempDir
  Path tmp;

  @Test
  void auditctlLoadsTheDefaultRules() throws Exception {
    assumeTrue(Files.isExecutable(InjectTest.AUDITCTL), "auditctl not installed");
    String status = Fixtures.run(null, "auditctl", "-s").orElse("");
    String rules = Fixtures.run(null, "auditctl", "-l").orElse("");
    assumeTrue(
        status.contains("pid 0") && status.contains("enabled 0") && rules.trim().equals("No rules"),
        "audit is in use on this machine (or not permitted); not touching it");
    Matcher backlog = Pattern.compile("backlog_limit (\\d+)").matcher(status);
    assumeTrue(backlog.find(), "no backlog_limit in auditctl -s");
    Path file = tmp.resolve("audit.rules");
    Files.write(file, Injector.defaultRules());
    try {
      assertThat(Fixtures.run(null, "auditctl", "-R", file.toString()))
          .as("auditctl -R accepts the rules")
          .isPresent();
      assertThat(Fixtures.run(null, "auditctl", "-l").orElseThrow())
          .contains("-S execve,execveat -F key=ba_exec")
          .contains("-a never,exit -F arch=b64 -S openat -F a2&0x200000");
    } finally {
      Fixtures.run(null, "auditctl", "-D");
      Fixtures.run(null, "auditctl", "-b", backlog.group(1));
    }
  }
}
