package org.bootaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 17, item 8: rules the kernel (or auditctl) refuses must fail the lint, where they are. */
class KernelLimitsTest {

  private static List<String> lint(String line) {
    return AuditRules.lint(line + "\n", "a.rules", Stage.ROOT).stream()
        .map(Finding::toString)
        .toList();
  }

  @Test
  void keyLongerThanTheKernelsLimit() {
    assertThat(lint("-a always,exit -F arch=b64 -S openat -k " + "k".repeat(1000)))
        .containsExactly(
            "a.rules:1:41: error: expected a key of at most 256 bytes (the kernel's limit), found 1000");
    assertThat(lint("-a always,exit -F arch=b64 -S openat -F key=" + "k".repeat(257)))
        .containsExactly(
            "a.rules:1:45: error: expected a key of at most 256 bytes (the kernel's limit), found 257");
    assertThat(lint("-a always,exit -F arch=b64 -S openat -k " + "a".repeat(200) + " -k "
            + "b".repeat(200)))
        .containsExactly(
            "a.rules:1:1: error: expected the keys of one rule to take at most 256 bytes joined"
                + " (the kernel's limit), found 401");
    assertThat(lint("-a always,exit -F arch=b64 -S openat -k " + "k".repeat(256)))
        .isEmpty();
  }

  @Test
  void watchKeysHaveTheSameLimit() {
    // found measuring issue 17's table: only syscall rules' keys were checked
    assertThat(lint("-w /usr/sbin -p x -k " + "k".repeat(1000)))
        .containsExactly(
            "a.rules:1:22: error: expected a key of at most 256 bytes (the kernel's limit), found 1000");
    assertThat(lint("-w /usr/sbin -p x -k " + "a".repeat(200) + " -k " + "b".repeat(200)))
        .containsExactly(
            "a.rules:1:1: error: expected the keys of one rule to take at most 256 bytes joined"
                + " (the kernel's limit), found 401");
    assertThat(lint("-w /usr/sbin -p x -k " + "k".repeat(256))).isEmpty();
  }

  @Test
  void uidPastThirtyTwoBits() {
    assertThat(lint("-a always,exit -F arch=b64 -S openat -F uid=4294967296"))
        .containsExactly(
            "a.rules:1:45: error: expected an id from 0 to 4294967295 for uid, found '4294967296'"
                + " (ids are 32 bits)");
    assertThat(lint("-a always,exit -F arch=b64 -S openat -F auid=4294967295")).isEmpty();
  }

  @Test
  void argumentMaskThatIsNoNumber() {
    assertThat(lint("-a always,exit -F arch=b64 -S openat -F a2&0xZZZ"))
        .containsExactly(
            "a.rules:1:44: error: expected a 32-bit number (decimal, 0x hex or 0 octal) for a2,"
                + " found '0xZZZ'");
    assertThat(lint("-a always,exit -F arch=b64 -S openat -F a2&0x3")).isEmpty();
    assertThat(lint("-a always,exit -F arch=b64 -S openat -F a0=-100")).isEmpty();
  }

  @Test
  void exitWithAnErrnoThatDoesNotExist() {
    assertThat(lint("-a always,exit -F arch=b64 -S openat -F exit=-ENOTANERRNO"))
        .containsExactly(
            "a.rules:1:46: error: unknown errno 'ENOTANERRNO' (expected a name such as EACCES or ENOENT)");
    assertThat(lint("-a always,exit -F arch=b64 -S openat -F exit=-EACCES")).isEmpty();
    assertThat(lint("-a always,exit -F arch=b64 -S openat -F exit=-13")).isEmpty();
  }

  @Test
  void syscallNumbersOutsideTheRulesMask() {
    assertThat(lint("-a always,exit -F arch=b64 -S 999999999999"))
        .containsExactly(
            "a.rules:1:31: error: expected a syscall name or a number from 0 to 2047, found '999999999999'");
    assertThat(lint("-a always,exit -F arch=b64 -S -1"))
        .containsExactly(
            "a.rules:1:31: error: expected a syscall name or a number from 0 to 2047, found '-1'");
    assertThat(lint("-a always,exit -F arch=b64 -S openat,2")).isEmpty();
  }

  @Test
  void moreThanSixtyFourFieldsInOneRule() {
    String many = " -F auid>=1000".repeat(64);
    assertThat(lint("-a always,exit -F arch=b64 -S openat" + many))
        .containsExactly(
            "a.rules:1:1: error: expected at most 64 fields in one rule (the kernel's limit), found 65");
    assertThat(lint("-a always,exit -S openat" + " -F auid>=1000".repeat(63) + " -k a -k b"))
        .allMatch(f -> !f.contains("fields in one rule"));
  }
}
