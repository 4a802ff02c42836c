package org.bootaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.bootaudit.core.SourceLocation;
import org.junit.jupiter.api.Test;

/** Every syntax form auditctl accepts in a rules file or prints with {@code -l}, and what it refuses. */
class ParseTest {

  private static Rule one(String line) {
    List<Rule> rules = AuditRules.parse(line, "t.rules").rules();
    assertThat(rules).hasSize(1);
    return rules.get(0);
  }

  private static void refused(String text, String where, String message) {
    assertThatThrownBy(() -> AuditRules.parse(text, "t.rules"))
        .isInstanceOf(RuleSyntaxException.class)
        .hasMessage("t.rules:" + where + ": " + message);
  }

  @Test
  void watchWithPermissionsAndKey() {
    WatchRule w = (WatchRule) one("-w /etc/passwd -p wa -k identity");
    assertThat(w)
        .isEqualTo(new WatchRule(
            "/etc/passwd", "wa", List.of("identity"), new SourceLocation("t.rules", 1, 1)));
    assertThat(w.canonical()).isEqualTo("-w /etc/passwd -p wa -k identity");
  }

  @Test
  void watchWithoutPermissionsMeansAll() {
    assertThat(one("-w /etc").canonical()).isEqualTo("-w /etc -p rwxa");
  }

  @Test
  void syscallRuleWithFieldsSyscallsAndKey() {
    SyscallRule r = (SyscallRule)
        one("-a always,exit -F arch=b64 -S openat,open -F auid>=1000 -F auid!=unset -k opens");
    assertThat(r.list()).isEqualTo("exit");
    assertThat(r.action()).isEqualTo("always");
    assertThat(r.arch()).map(Field::value).contains("b64");
    assertThat(r.syscalls()).extracting(Syscall::name).containsExactly("openat", "open");
    assertThat(r.syscalls().get(1).location().column()).isEqualTo(38);
    assertThat(r.fields()).extracting(Field::name).containsExactly("arch", "auid", "auid", "key");
    assertThat(r.fields().get(1).operator()).isEqualTo(">=");
    assertThat(r.keys()).containsExactly("opens");
    assertThat(r.canonical())
        .isEqualTo(
            "-a always,exit -F arch=b64 -S open,openat -F auid>=1000 -F auid!=-1 -F key=opens");
  }

  @Test
  void everyOperator() {
    for (String op : List.of("=", "!=", "<", ">", "<=", ">=", "&", "&=")) {
      SyscallRule r = (SyscallRule) one("-a always,exit -F arch=b64 -S chmod -F a1" + op + "0100");
      assertThat(r.fields().get(1).operator()).isEqualTo(op);
      assertThat(r.fields().get(1).canonical()).isEqualTo("-F a1" + op + "0x40");
    }
  }

  @Test
  void actionAndListInEitherOrderAndPrepend() {
    assertThat(one("-a exit,always -F arch=b32 -S open").canonical())
        .isEqualTo("-a always,exit -F arch=b32 -S open");
    assertThat(one("-A never,exit -F arch=b64 -S all").canonical())
        .isEqualTo("-a never,exit -F arch=b64 -S all");
    assertThat(one("-a always,exclude -F msgtype=CWD").canonical())
        .isEqualTo("-a always,exclude -F msgtype=CWD");
  }

  @Test
  void fieldComparison() {
    SyscallRule r = (SyscallRule) one("-a always,exit -F arch=b64 -S chmod -C auid!=obj_uid");
    assertThat(r.fields().get(1))
        .extracting(Field::comparison, Field::canonical)
        .containsExactly(true, "-C auid!=obj_uid");
  }

  @Test
  void controlOptions() {
    String text =
        "-D\n-b 131072\n-e 1\n-f 1\n-r 100\n--backlog_wait_time 60000\n--loginuid-immutable\n-i\n-c\n";
    assertThat(AuditRules.parse(text, "t.rules").rules())
        .map(r -> ((ControlRule) r).option())
        .containsExactly(ControlRule.Option.values());
    assertThat(((ControlRule) one("-b 131072")).value()).isEqualTo(Optional.of("131072"));
  }

  @Test
  void commentsBlankLinesAndCarriageReturnsAreSkipped() {
    String text = "## header\n\n   # indented comment\n\t\n-w /etc -p wa\r\n-D\r\n";
    assertThat(AuditRules.parse(text, "t.rules").rules())
        .extracting(Rule::canonical)
        .containsExactly("-w /etc -p wa", "-D");
    assertThat(AuditRules.parse(text, "t.rules").rules().get(1).location())
        .isEqualTo(new SourceLocation("t.rules", 6, 1));
  }

  @Test
  void continuationLinesAreRefusedAsAuditctlRefusesThem() {
    refused(
        "-a always,exit -F arch=b64 \\\n -S openat",
        "1:28",
        "expected a rule on one line, found '\\' (auditctl joins no continuation lines)");
  }

  @Test
  void trailingCommentsAreRefused() {
    refused(
        "-w /etc -p wa # config",
        "1:15",
        "expected an option, found '#' (expected -p or -k) (auditctl accepts comments only on their own line)");
  }

  @Test
  void auditctlListingIsParsed() {
    String listing =
        "-a always,exit -F arch=b64 -S open,creat,openat -F success=1 -F key=r\n-w /etc -p wa -k etcw\n"
            + "-a always,exit -S all -F dir=/var/log -F perm=wa -F key=v\n-a always,exit -F arch=b64 -S all -F path=/x -F perm=r\n-a never,exit -F arch=b64 -S execve -F auid=-1\n";
    assertThat(AuditRules.parse(listing, "auditctl -l").kernelRules())
        .containsExactly(
            "-a always,exit -F arch=b64 -S open,creat,openat -F success=1 -F key=r",
            "-w /etc -p wa -k etcw",
            "-w /var/log -p wa -k v",
            "-a always,exit -F arch=b64 -S all -F path=/x -F perm=r",
            "-a never,exit -F arch=b64 -S execve -F auid=-1");
    assertThat(AuditRules.parse("No rules\n", "auditctl -l").rules()).isEmpty();
  }

  @Test
  void unknownOptionsFieldsAndSyscalls() {
    refused(
        "-Q x",
        "1:1",
        "unknown option '-Q' (expected -a, -w, -D, -b, -e, -f, -r, --backlog_wait_time, --loginuid-immutable, -i or -c)");
    refused(
        "-a always,exit -F arch=b64 -S open -X",
        "1:36",
        "unknown option '-X' (expected -F, -S, -C or -k)");
    refused(
        "-a always,exit -F arch=b64 -F colour=red",
        "1:31",
        "unknown field 'colour' (expected arch, auid, dir, exit, key, path, perm, success, uid or another auditctl field)");
    refused("-a always,exit -F arch=b64 -S open,opne", "1:36", "unknown syscall 'opne'");
    refused(
        "-a always,exit -F arch=b64 -S chown32",
        "1:31",
        "syscall 'chown32' does not exist on arch b64");
    refused(
        "-a always,exit -S chown32",
        "1:19",
        "syscall 'chown32' does not exist on arch b64 (the machine's; no -F arch= given)");
  }

  @Test
  void badValuesAndOperators() {
    refused(
        "-a always,exit -F arch=b99",
        "1:24",
        "unknown arch 'b99' (expected b64, b32, x86_64, i386, aarch64…)");
    refused(
        "-a always,exit -S open -F arch=b64",
        "1:27",
        "expected -F arch= before -S, found it after (auditctl refuses this)");
    refused(
        "-a always,exit -F arch=b64 -S open -F success=yes",
        "1:47",
        "expected 0 or 1 for success, found 'yes'");
    refused(
        "-a always,exit -F arch=b64 -S open -F perm>=r",
        "1:39",
        "expected '=' after perm, found '>='");
    refused(
        "-a always,exit -F arch=b64 -S open -F dir<=/x",
        "1:39",
        "expected = or != after dir, found '<='");
    refused(
        "-a always,exit -F arch=b64 -S open -F auid=12x",
        "1:44",
        "expected a number, a name or 'unset' for auid, found '12x'");
    refused(
        "-a always,exit -F arch=b64 -S open -F uid=unset",
        "1:43",
        "expected a valid id for uid, found 'unset' (the kernel accepts unset only for auid)");
    refused(
        "-a always,exit -F arch=b64 -S open -F auid",
        "1:39",
        "expected field op value such as 'auid>=1000', found 'auid'");
    refused(
        "-a always,exit -F arch=b64 -S open -C auid<obj_uid",
        "1:39",
        "expected = or != in -C, found '<'");
    refused(
        "-a always,entry -S open",
        "1:4",
        "expected list,action such as 'always,exit', found 'always,entry'");
    refused("-w etc", "1:4", "expected an absolute path after -w, found 'etc'");
    refused("-w /etc -p rwz", "1:12", "expected permissions from 'rwxa', found 'rwz'");
    refused("-e 3", "1:4", "expected 0, 1 or 2 after -e, found '3'");
    refused("-b", "1:3", "expected a value after '-b', found end of line");
    refused("-D now", "1:4", "expected end of line after '-D', found 'now'");
  }

  @Test
  void quotesAtMostFortyCharactersAndEscapesControlBytes() {
    refused(
        "-Q\u0001" + "x".repeat(60),
        "1:1",
        "unknown option '-Q\\x01" + "x".repeat(37) + "...' (expected -a, -w, -D, -b, -e, -f, -r,"
            + " --backlog_wait_time, --loginuid-immutable, -i or -c)");
  }
}
