package org.bootaudit.rules;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bootaudit.core.InvalidInputException;
import org.bootaudit.core.SyscallTable;

/** Checks {@code -S} names against core's table of the rule's architecture. */
final class Syscalls {

  /** auditctl uses the machine's architecture when a rule has no {@code -F arch=}; we assume x86_64. */
  static final String MACHINE_ARCH = "b64";

  private static final Map<String, SyscallTable> TABLES = new ConcurrentHashMap<>();

  private Syscalls() {}

  static Optional<SyscallTable> table(String arch) {
    return Optional.ofNullable(
        TABLES.computeIfAbsent(arch, a -> SyscallTable.forArch(a).orElse(null)));
  }

  static SyscallTable table(SyscallRule r) {
    return table(archName(r)).orElseThrow();
  }

  static String archName(SyscallRule r) {
    return r.arch()
        .map(f -> Fields.canonicalValue("arch", f.value()))
        .filter(a -> table(a).isPresent())
        .orElse(MACHINE_ARCH);
  }

  /** The problem with one name on this rule's arch, if any. */
  static Optional<String> problem(SyscallRule r, Syscall s) {
    String name = s.name();
    if (name.equals("all")
        || Fields.number(name).isPresent()
        || table(r).number(name).isPresent()) {
      return Optional.empty();
    }
    String arch =
        r.arch().isPresent() ? archName(r) : MACHINE_ARCH + " (the machine's; no -F arch= given)";
    boolean elsewhere = SyscallTable.arches().stream()
        .anyMatch(a -> table(a)
            .flatMap(t -> t.number(name).isPresent() ? Optional.of(t) : Optional.empty())
            .isPresent());
    return Optional.of(
        elsewhere
            ? "syscall '" + InvalidInputException.excerpt(name) + "' does not exist on arch " + arch
            : "unknown syscall '" + InvalidInputException.excerpt(name) + "'");
  }
}
