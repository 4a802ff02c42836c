package org.bootaudit.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bootaudit.core.InvalidInputException;
import org.bootaudit.core.SourceLocation;

/** The lint checks that need whole rules (syntax problems come from the parser). */
final class Linter {

  static final long EARLY_BACKLOG = AuditRules.EARLY_BOOT_BACKLOG;
  static final long ROOT_BACKLOG = 8192;

  private final Stage stage;
  private final List<Finding> findings = new ArrayList<>();

  private Linter(Stage stage) {
    this.stage = stage;
  }

  static List<Finding> lint(RuleParser.Result parsed, Stage stage) {
    Linter l = new Linter(stage);
    l.findings.addAll(parsed.problems());
    l.rules(parsed.rules());
    l.findings.sort(Comparator.comparingLong((Finding f) -> f.location().line())
        .thenComparingInt(f -> f.location().column()));
    return List.copyOf(l.findings);
  }

  private void rules(List<Rule> rules) {
    Map<String, SourceLocation> seen = new HashMap<>();
    List<SyscallRule> nevers = new ArrayList<>();
    for (Rule r : rules) {
      switch (r.kind()) {
        case CONTROL -> control((ControlRule) r);
        case WATCH -> watch((WatchRule) r);
        case SYSCALL -> syscall((SyscallRule) r, nevers);
      }
      if (r.kind() != Rule.Kind.CONTROL) {
        SourceLocation first = seen.putIfAbsent(r.canonical(), r.location());
        if (first != null) {
          error(
              r.location(),
              "duplicate rule: the same kernel rule as line " + first.line(),
              "delete one; auditctl -R stops at 'Rule exists'");
        }
      }
    }
  }

  private void control(ControlRule c) {
    long n = c.value().map(Long::parseLong).orElse(-1L);
    boolean early = stage == Stage.EARLY_BOOT;
    switch (c.option()) {
      case ENABLED ->
        check(
            early && n == 2,
            c,
            "-e 2 locks the rules until reboot, so the root cannot replace the early rules",
            "use -e 1");
      case FAILURE ->
        check(
            early && n == 2,
            c,
            "-f 2 panics the kernel when audit records are lost during boot",
            "use -f 1");
      case BACKLOG -> {
        long min = early ? EARLY_BACKLOG : ROOT_BACKLOG;
        if (n < min) {
          warn(
              c.location(),
              "backlog limit " + n + " is below " + min
                  + ": records overflow the hold queue before auditd drains it",
              "use -b " + EARLY_BACKLOG + " and audit_backlog_limit=" + EARLY_BACKLOG
                  + " on the kernel command line");
        }
      }
      default -> {}
    }
  }

  private void check(boolean bad, ControlRule c, String message, String hint) {
    if (bad) {
      error(c.location(), message, hint);
    }
  }

  private void watch(WatchRule w) {
    pathRule(w.location(), "-w " + w.path());
    duplicateKeys(w.keys(), w.location());
  }

  private void pathRule(SourceLocation at, String what) {
    if (stage == Stage.EARLY_BOOT) {
      warn(
          at,
          "path rule '" + InvalidInputException.excerpt(what)
              + "' binds to an initramfs inode and will not follow switch_root",
          "use syscall rules without path filters and filter directories in analysis (report --target)");
    }
  }

  private void syscall(SyscallRule r, List<SyscallRule> nevers) {
    if (r.list().equals("exit") && !r.allSyscalls() && r.arch().isEmpty()) {
      warn(
          r.location(),
          "syscall rule without -F arch= applies to " + Syscalls.MACHINE_ARCH
              + " only and misses 32-bit calls",
          "add -F arch=b64 and a twin rule with -F arch=b32");
    }
    r.fields().stream()
        .filter(f -> !f.comparison() && (f.name().equals("dir") || f.name().equals("path")))
        .forEach(f -> pathRule(f.location(), f.name() + "=" + f.value()));
    duplicateKeys(r.keys(), r.location());
    nevers.stream()
        .filter(n -> Shadowing.shadows(n, r))
        .findFirst()
        .ifPresent(n -> warn(
            r.location(),
            "rule never fires: shadowed by the 'never' rule at line "
                + n.location().line(),
            "move the never rule after it, or narrow the never rule"));
    if (r.action().equals("never")) {
      nevers.add(r);
    }
  }

  private void duplicateKeys(List<String> keys, SourceLocation at) {
    Set<String> seen = new HashSet<>();
    keys.stream()
        .filter(k -> !seen.add(k))
        .findFirst()
        .ifPresent(k -> warn(
            at,
            "duplicate key '" + InvalidInputException.excerpt(k) + "' in one rule",
            "give each key once"));
  }

  private void error(SourceLocation at, String message, String hint) {
    findings.add(new Finding(Finding.Severity.ERROR, at, message, Optional.of(hint)));
  }

  private void warn(SourceLocation at, String message, String hint) {
    findings.add(new Finding(Finding.Severity.WARNING, at, message, Optional.of(hint)));
  }
}
