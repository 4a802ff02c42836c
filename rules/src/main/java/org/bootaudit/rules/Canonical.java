package org.bootaudit.rules;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bootaudit.core.SyscallTable;

/**
 * Spells rules the way {@code auditctl -l} lists them: {@code -k} as {@code -F key=}, syscalls
 * sorted by number, {@code -S all} on exit rules without {@code -S}, and a syscall rule that only
 * filters {@code dir=}/{@code path=} and {@code perm=} as the {@code -w} watch it is.
 */
final class Canonical {

  private static final Set<String> WATCH_FIELDS = Set.of("dir", "path", "perm", "key");

  private Canonical() {}

  static String watch(String path, String perms, List<String> keys) {
    return "-w " + path + " -p " + perms(perms)
        + keys.stream().map(k -> " -k " + k).collect(Collectors.joining());
  }

  static String perms(String perms) {
    StringBuilder out = new StringBuilder();
    for (char c : "rwxa".toCharArray()) {
      if (perms.indexOf(c) >= 0) {
        out.append(c);
      }
    }
    return out.toString();
  }

  static String syscall(SyscallRule r) {
    if (isWatch(r)) {
      String path = r.field("dir").or(() -> r.field("path")).orElseThrow().value();
      return watch(path, r.field("perm").orElseThrow().value(), r.keys());
    }
    StringBuilder out = new StringBuilder("-a " + r.action() + "," + r.list());
    r.arch().ifPresent(a -> out.append(' ').append(a.canonical()));
    syscalls(r).ifPresent(s -> out.append(" -S ").append(s));
    r.fields().stream()
        .filter(f -> f.comparison() || !Set.of("arch", "key").contains(f.name()))
        .forEach(f -> out.append(' ').append(f.canonical()));
    r.keys().forEach(k -> out.append(" -F key=").append(k));
    return out.toString();
  }

  private static boolean isWatch(SyscallRule r) {
    return r.list().equals("exit")
        && r.action().equals("always")
        && r.arch().isEmpty()
        && r.allSyscalls()
        && r.field("perm").isPresent()
        && (r.field("dir").isPresent() || r.field("path").isPresent())
        && r.fields().stream()
            .allMatch(f ->
                !f.comparison() && f.operator().equals("=") && WATCH_FIELDS.contains(f.name()));
  }

  private static java.util.Optional<String> syscalls(SyscallRule r) {
    if (r.allSyscalls()) {
      return r.list().equals("exit") ? java.util.Optional.of("all") : java.util.Optional.empty();
    }
    SyscallTable table = Syscalls.table(r);
    Comparator<String> byNumber = Comparator.comparingInt(
        n -> table.number(n).orElse(Fields.number(n).orElse(99999L).intValue()));
    return java.util.Optional.of(r.syscalls().stream()
        .map(s -> table.name(Fields.number(s.name()).orElse(-1L).intValue()).orElse(s.name()))
        .distinct()
        .sorted(byNumber.thenComparing(Comparator.naturalOrder()))
        .collect(Collectors.joining(",")));
  }
}
