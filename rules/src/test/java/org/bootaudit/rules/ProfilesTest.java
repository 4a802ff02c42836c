package org.bootaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped profiles, the targets generator and rule equality, without a kernel. */
class ProfilesTest {

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"early-boot", "early-boot-exec"})
  void profilesLintCleanForEarlyBoot(String name) {
    assertThat(AuditRules.lint(AuditRules.profileText(name).orElseThrow(), name, Stage.EARLY_BOOT))
        .isEmpty();
    RuleSet rules = AuditRules.profile(name).orElseThrow();
    assertThat(rules.rules())
        .extracting(Rule::canonical)
        .contains("-D", "-b " + AuditRules.EARLY_BOOT_BACKLOG, "--backlog_wait_time 60000");
    assertThat(rules.rules()).noneMatch(r -> r.kind() == Rule.Kind.WATCH);
  }

  @Test
  void earlyBootHasEveryOperationOnBothArches() {
    List<SyscallRule> rules = AuditRules.profile("early-boot").orElseThrow().rules().stream()
        .filter(r -> r.kind() == Rule.Kind.SYSCALL)
        .map(SyscallRule.class::cast)
        .toList();
    for (String key : List.of(
        "ba_open",
        "ba_create",
        "ba_write",
        "ba_exec",
        "ba_delete",
        "ba_rename",
        "ba_attr",
        "ba_mount",
        "ba_proc")) {
      assertThat(rules)
          .filteredOn(r -> r.keys().equals(List.of(key)))
          .extracting(r -> r.arch().orElseThrow().value())
          .containsExactly("b64", "b32");
    }
    assertThat(rules)
        .allMatch(r -> r.fields().stream()
            .noneMatch(f -> f.name().equals("dir") || f.name().equals("path")));
  }

  @Test
  void failedLookUpsAreCutBeforeAnyRuleCanAuditThem() {
    // the kernel takes the first exit rule that matches: the never rules must come first
    List<String> rules = AuditRules.profile("early-boot").orElseThrow().rules().stream()
        .filter(r -> r.kind() == Rule.Kind.SYSCALL)
        .map(Rule::canonical)
        .toList();
    int firstAlways = rules.indexOf(
        rules.stream().filter(r -> r.startsWith("-a always,")).findFirst().orElseThrow());
    for (String arch : List.of("b64", "b32")) {
      for (String errno : List.of("ENOENT", "ENODATA")) {
        assertThat(rules.subList(0, firstAlways))
            .as(arch + " " + errno)
            .anyMatch(r -> r.startsWith("-a never,exit -F arch=" + arch + " ")
                && r.contains("-F exit=-" + errno));
      }
    }
    assertThat(rules).noneMatch(r -> r.startsWith("-a never,") && r.contains("exit=-EACCES"));
  }

  @Test
  void unknownProfile() {
    assertThat(AuditRules.profile("late-boot")).isEmpty();
    assertThat(AuditRules.profiles()).containsExactly("early-boot", "early-boot-exec");
  }

  @Test
  void generatesRootRulesAndTheReportFilter() throws IOException {
    Path cfg = Files.writeString(
        tmp.resolve("access_time.cfg"),
        "{\"boot_start\": \"2024-01-01 10:00\", \"targets\": [\"/etc/\", \"/usr/bin\"], \"excluded_extension\": [\".png\"]}");
    GeneratedRules g = AuditRules.generate(TargetsConfig.read(cfg));
    assertThat(g.rules().kernelRules())
        .containsExactly("-w /etc -p rwxa -k ba_target", "-w /usr/bin -p rwxa -k ba_target");
    assertThat(g.reportArguments())
        .containsExactly("--target", "/etc", "--target", "/usr/bin", "--exclude-ext", ".png");
    assertThat(g.text())
        .contains(
            "## analysis filter: bootaudit report --target /etc --target /usr/bin --exclude-ext .png\n");
    assertThat(AuditRules.lint(g.text(), "gen", Stage.ROOT)).isEmpty();
    assertThat(AuditRules.lint(g.text(), "gen", Stage.EARLY_BOOT)).hasSize(2);
  }

  @Test
  void badConfigsAreRefusedWithTheirLocation() throws IOException {
    Path broken = Files.writeString(tmp.resolve("broken.cfg"), "{\n  \"targets\": [\"/etc\",\n}");
    assertThatThrownBy(() -> TargetsConfig.read(broken))
        .isInstanceOf(RuleSyntaxException.class)
        .hasMessageStartingWith(broken + ":3:1: expected a JSON object, ");
    Path relative = Files.writeString(tmp.resolve("rel.cfg"), "{\"targets\": [\"etc\"]}");
    assertThatThrownBy(() -> TargetsConfig.read(relative))
        .hasMessage(
            relative + ":1:1: targets: expected an absolute path without blanks, found 'etc'");
    Path none = Files.writeString(tmp.resolve("none.cfg"), "[1]");
    assertThatThrownBy(() -> TargetsConfig.read(none))
        .hasMessage(none + ":1:1: expected a JSON object with \"targets\", found '[1]'");
  }

  @Test
  void equivalentSpellingsAreTheSameRuleAndADifferentRuleIsNot() {
    RuleSet written = AuditRules.parse(
        "-a exit,always -F arch=x86_64 -S openat,open -F auid!=unset -k k\n"
            + "-a always,exit -S all -F dir=/etc -F perm=aw -F key=e\n-a always,exit -F arch=b64 -S chmod -F a1&0100\n",
        "w");
    RuleSet listed = AuditRules.parse(
        "-a always,exit -F arch=b64 -S open,openat -F auid!=-1 -F key=k\n"
            + "-w /etc -p wa -k e\n-a always,exit -F arch=b64 -S chmod -F a1&0x40\n",
        "l");
    assertThat(written.sameKernelRules(listed)).isTrue();
    RuleSet different = AuditRules.parse(
        "-a always,exit -F arch=b64 -S open,openat -F auid!=-1 -F key=k\n"
            + "-w /etc -p wa -k e\n-a always,exit -F arch=b64 -S chmod -F a1&0x41\n",
        "d");
    assertThat(written.sameKernelRules(different)).isFalse();
    assertThat(written.sameKernelRules(AuditRules.parse("-w /etc -p wa -k e\n", "short")))
        .isFalse();
  }
}
