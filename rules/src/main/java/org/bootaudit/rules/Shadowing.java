package org.bootaudit.rules;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether an earlier {@code never} rule matches every event a later rule matches; the kernel
 * stops at the first matching rule of a list, so the later rule then records nothing.
 * Conservative: only field-for-field equal conditions count.
 */
final class Shadowing {

  private Shadowing() {}

  static boolean shadows(SyscallRule never, SyscallRule later) {
    return later.action().equals("always")
        && never.list().equals(later.list())
        && archCovers(never, later)
        && syscallsCover(never, later)
        && conditions(later).containsAll(conditions(never));
  }

  /** "*" when a rule applies to every arch (no arch and all syscalls). */
  private static String arch(SyscallRule r) {
    return r.arch().isEmpty() && r.allSyscalls() ? "*" : Syscalls.archName(r);
  }

  private static boolean archCovers(SyscallRule never, SyscallRule later) {
    return arch(never).equals("*") || arch(never).equals(arch(later));
  }

  private static boolean syscallsCover(SyscallRule never, SyscallRule later) {
    return never.allSyscalls() || (!later.allSyscalls() && names(never).containsAll(names(later)));
  }

  private static Set<String> names(SyscallRule r) {
    return r.syscalls().stream().map(Syscall::name).collect(Collectors.toSet());
  }

  private static Set<String> conditions(SyscallRule r) {
    return r.fields().stream()
        .filter(f -> f.comparison() || !Set.of("arch", "key").contains(f.name()))
        .map(Field::canonical)
        .collect(Collectors.toSet());
  }
}
