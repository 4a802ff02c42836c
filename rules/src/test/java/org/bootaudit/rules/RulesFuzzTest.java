package org.bootaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real rules files, randomly damaged (Jazzer does not resolve here: a seeded mutation harness).
 * {@code parse} returns or throws {@link RuleSyntaxException} at a line of the input; {@code lint}
 * never throws; reading the bytes as a file returns or throws {@link RuleSyntaxException}.
 *
 * <p>{@code mvn verify} runs a short round; a long run: {@code mvn -pl rules -am test
 * -Dtest=RulesFuzzTest -Dfuzz.rounds=200000 -Dfuzz.seed=$RANDOM}. A failure prints its seed and
 * round; the damaged text becomes a case in {@link KernelLimitsTest} or {@link LintTest}.
 */
class RulesFuzzTest {

  private static final String[] TOKENS = {
    "-a",
    "-A",
    "-w",
    "-F",
    "-S",
    "-C",
    "-k",
    "-p",
    "-e",
    "-f",
    "-b",
    "-D",
    "always,exit",
    "never,exit",
    "exit,always",
    "arch=b64",
    "arch=b32",
    "uid=",
    "auid>=",
    "a2&",
    "exit=-E",
    "key=",
    "perm=",
    "success=",
    "0x",
    "-1",
    "4294967296",
    "openat",
    "all",
    ",",
    "=",
    "!=",
    "&=",
    "#",
    "\\",
    "\t",
    " ",
    "\n",
    "\u0000",
    "\u00e9",
    "\r",
  };

  @TempDir
  Path tmp;

  @Test
  void damagedRulesFailOnlyWithLocatedSyntaxErrors() throws IOException {
    List<String> seeds = new ArrayList<>();
    for (String p : List.of(
        "src/main/resources/org/bootaudit/rules/early-boot.rules",
        "src/main/resources/org/bootaudit/rules/early-boot-exec.rules",
        "../samples/workload/workload.rules",
        "../cli/src/test/resources/roots/debian12/etc/audit/rules.d/audit.rules")) {
      seeds.add(Files.readString(Path.of(p)));
    }
    long seed = Long.getLong("fuzz.seed", 20261202);
    Random random = new Random(seed);
    int refused = 0;
    int rounds = Integer.getInteger("fuzz.rounds", 400);
    for (int round = 0; round < rounds; round++) {
      String text = mutate(seeds.get(random.nextInt(seeds.size())), random);
      long lines = text.chars().filter(c -> c == '\n').count() + 1;
      String where = "seed " + seed + " round " + round + ": ";
      try {
        AuditRules.parse(text, "fuzz");
      } catch (RuleSyntaxException e) {
        refused++;
        assertThat(e.location().line()).as(where + e.getMessage()).isBetween(1L, lines);
        assertThat(e.getMessage()).as(where).startsWith("fuzz:" + e.location().line() + ":");
      } catch (RuntimeException e) {
        fail(where + "parse threw " + e, e);
      }
      try {
        AuditRules.lint(text, "fuzz", random.nextBoolean() ? Stage.ROOT : Stage.EARLY_BOOT);
      } catch (RuntimeException e) {
        fail(where + "lint threw " + e, e);
      }
      if (round % 50 == 0) {
        readAsFile(text, random, where);
      }
    }
    assertThat(refused).as("the mutations do break rules").isGreaterThan(rounds / 4);
  }

  /** As a file: raw bytes, some not UTF-8. */
  private void readAsFile(String text, Random random, String where) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    if (b.length > 0) {
      b[random.nextInt(b.length)] = (byte) (0x80 + random.nextInt(128));
    }
    Path f = Files.write(tmp.resolve("f.rules"), b);
    try {
      AuditRules.lint(f, Stage.ROOT);
    } catch (RuleSyntaxException e) {
      assertThat(e.location().line()).as(where).isPositive();
    } catch (RuntimeException e) {
      fail(where + "lint of a file threw " + e, e);
    }
  }

  private static String mutate(String doc, Random random) {
    StringBuilder sb = new StringBuilder(doc);
    int edits = 1 + random.nextInt(8);
    for (int i = 0; i < edits && sb.length() > 1; i++) {
      int at = random.nextInt(sb.length());
      switch (random.nextInt(5)) {
        case 0 -> sb.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
        case 1 -> sb.setCharAt(at, (char) random.nextInt(128));
        case 2 -> sb.delete(at, Math.min(sb.length(), at + 1 + random.nextInt(20)));
        case 3 -> sb.insert(at, String.valueOf(random.nextLong()));
        default -> {
          int from = random.nextInt(sb.length());
          int to = Math.min(sb.length(), from + random.nextInt(80));
          sb.insert(at, sb.substring(from, to));
        }
      }
    }
    String[] lines = sb.toString().split("\n", -1);
    return String.join("\n", Arrays.asList(lines));
  }
}
