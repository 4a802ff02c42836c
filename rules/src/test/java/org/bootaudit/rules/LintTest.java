package org.bootaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each lint check, with the exact location and text a user sees. */
class LintTest {

  private static List<String> lint(Stage stage, String... lines) {
    return AuditRules.lint(String.join("\n", lines) + "\n", "a.rules", stage).stream()
        .map(Finding::toString)
        .toList();
  }

  @Test
  void cleanRulesHaveNoFindings() {
    assertThat(lint(
            Stage.EARLY_BOOT,
            "-D",
            "-b 131072",
            "-a always,exit -F arch=b64 -S openat -k o",
            "-a always,exit -F arch=b32 -S openat -k o"))
        .isEmpty();
  }

  @Test
  void syntaxErrorsOnePerLineAndTheRestStillChecked() {
    assertThat(lint(
            Stage.ROOT,
            "-Q",
            "-a always,exit -F arch=b64 -F colour=red",
            "-a always,exit -F arch=b32 -S opne",
            "-a always,exit -F arch=b64 -S truncate64",
            "-a always,exit -S openat"))
        .containsExactly(
            "a.rules:1:1: error: unknown option '-Q' (expected -a, -w, -D, -b, -e, -f, -r, --backlog_wait_time,"
                + " --loginuid-immutable, -i or -c)",
            "a.rules:2:31: error: unknown field 'colour' (expected arch, auid, dir, exit, key, path, perm, success, uid or"
                + " another auditctl field)",
            "a.rules:3:31: error: unknown syscall 'opne'",
            "a.rules:4:31: error: syscall 'truncate64' does not exist on arch b64",
            "a.rules:5:1: warning: syscall rule without -F arch= applies to b64 only and misses 32-bit calls"
                + " (hint: add -F arch=b64 and a twin rule with -F arch=b32)");
  }

  @Test
  void allSyscallsWithoutArchIsNotTheTrap() {
    assertThat(lint(Stage.ROOT, "-a always,exit -S all -F auid=0")).isEmpty();
  }

  @Test
  void lockAndPanicAreErrorsInEarlyBootOnly() {
    assertThat(lint(Stage.EARLY_BOOT, "-b 131072", "-f 2", "-e 2"))
        .containsExactly(
            "a.rules:2:1: error: -f 2 panics the kernel when audit records are lost during boot (hint: use -f 1)",
            "a.rules:3:1: error: -e 2 locks the rules until reboot, so the root cannot replace the early rules (hint: use -e 1)");
    assertThat(lint(Stage.ROOT, "-f 2", "-e 2")).isEmpty();
  }

  @Test
  void pathRulesWarnInEarlyBootOnly() {
    String hint =
        " (hint: use syscall rules without path filters and filter directories in analysis (report --target))";
    assertThat(lint(
            Stage.EARLY_BOOT,
            "-w /etc -p wa",
            "-a always,exit -F arch=b64 -S openat -F dir=/usr -k u",
            "-a always,exit -F arch=b64 -S all -F path=/etc/passwd -F perm=r"))
        .containsExactly(
            "a.rules:1:1: warning: path rule '-w /etc' binds to an initramfs inode and will not follow switch_root"
                + hint,
            "a.rules:2:41: warning: path rule 'dir=/usr' binds to an initramfs inode and will not follow switch_root"
                + hint,
            "a.rules:3:38: warning: path rule 'path=/etc/passwd' binds to an initramfs inode and will not follow switch_root"
                + hint);
    assertThat(lint(Stage.ROOT, "-w /etc -p wa")).isEmpty();
  }

  @Test
  void smallBacklog() {
    String hint =
        " (hint: use -b 131072 and audit_backlog_limit=131072 on the kernel command line)";
    assertThat(lint(Stage.EARLY_BOOT, "-b 8192"))
        .containsExactly(
            "a.rules:1:1: warning: backlog limit 8192 is below 131072: records overflow the hold queue before auditd drains it"
                + hint);
    assertThat(lint(Stage.ROOT, "-b 8192")).isEmpty();
    assertThat(lint(Stage.ROOT, "-b 64"))
        .containsExactly(
            "a.rules:1:1: warning: backlog limit 64 is below 8192: records overflow the hold queue before auditd drains it"
                + hint);
  }

  @Test
  void ruleShadowedByAnEarlierNever() {
    String hint = " (hint: move the never rule after it, or narrow the never rule)";
    assertThat(lint(
            Stage.ROOT,
            "-a never,exit -F arch=b64 -S openat,open -F auid=-1",
            "-a always,exit -F arch=b64 -S openat -F auid=unset -k o",
            "-a always,exit -F arch=b32 -S openat -F auid=-1 -k o",
            "-a always,exit -F arch=b64 -S openat -k o",
            "-a always,exit -F arch=b64 -S execve -F auid=-1 -k x",
            "-a never,exit -S all",
            "-a always,exit -F arch=b32 -S execve -k x"))
        .containsExactly(
            "a.rules:2:1: warning: rule never fires: shadowed by the 'never' rule at line 1" + hint,
            "a.rules:7:1: warning: rule never fires: shadowed by the 'never' rule at line 6"
                + hint);
  }

  @Test
  void duplicateKeysAndDuplicateRules() {
    assertThat(lint(
            Stage.ROOT,
            "-a always,exit -F arch=b64 -S openat -k o -k o",
            "-w /etc -p wa -k e -k e",
            "-a always,exit -F arch=b64 -S open,openat -k o",
            "-a always,exit -F arch=b64 -S openat,open -F key=o"))
        .containsExactly(
            "a.rules:1:1: warning: duplicate key 'o' in one rule (hint: give each key once)",
            "a.rules:2:1: warning: duplicate key 'e' in one rule (hint: give each key once)",
            "a.rules:4:1: error: duplicate rule: the same kernel rule as line 3 (hint: delete one; auditctl -R stops at 'Rule exists')");
  }

  @Test
  void continuationAndTrailingComment() {
    assertThat(lint(Stage.ROOT, "-w /etc \\", "  -p wa", "-w /usr -p x # bins"))
        .containsExactly(
            "a.rules:1:9: error: expected a rule on one line, found '\\' (auditctl joins no continuation lines)",
            "a.rules:2:3: error: unknown option '-p' (expected -a, -w, -D, -b, -e, -f, -r, --backlog_wait_time,"
                + " --loginuid-immutable, -i or -c)",
            "a.rules:3:14: error: expected an option, found '#' (expected -p or -k) (auditctl accepts comments only on their own line)");
  }
}
