package org.bootaudit.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The system calls of one architecture, as auditd names them (generated from {@code ausyscall}).
 *
 * <pre>{@code
 * SyscallTable x86 = SyscallTable.forArch("x86_64").orElseThrow();
 * x86.number("openat");   // OptionalInt[257]
 * }</pre>
 */
public final class SyscallTable {

  /** Architecture names as auditctl writes them in {@code -F arch=}, and their tables. */
  private static final Map<String, String> ALIASES = new LinkedHashMap<>();

  static {
    for (String a : List.of(
        "x86_64", "i386", "aarch64", "arm", "ppc64", "ppc64le", "ppc", "s390x", "s390",
        "riscv64")) {
      ALIASES.put(a, a);
    }
    ALIASES.put("b64", "x86_64");
    ALIASES.put("b32", "i386");
  }

  private final String arch;
  private final String[] byNumber;
  private final Map<String, Integer> byName;

  private SyscallTable(String arch, String[] byNumber) {
    this.arch = arch;
    this.byNumber = byNumber;
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < byNumber.length; i++) {
      if (byNumber[i] != null) {
        m.putIfAbsent(byNumber[i], i);
      }
    }
    this.byName = Collections.unmodifiableMap(m);
  }

  /**
   * The table of an architecture: {@code x86_64}, {@code i386}, {@code aarch64}, {@code arm},
   * {@code ppc64}, {@code ppc64le}, {@code ppc}, {@code s390x}, {@code s390}, {@code riscv64}, or
   * auditctl's {@code b64}/{@code b32}, which mean x86_64/i386 on an x86_64 machine.
   */
  public static Optional<SyscallTable> forArch(String name) {
    String a = ALIASES.get(name);
    return a == null
        ? Optional.empty()
        : Optional.of(new SyscallTable(a, Tables.get().syscallTable(a)));
  }

  /** Every architecture name {@link #forArch(String)} accepts. */
  public static Set<String> arches() {
    return Collections.unmodifiableSet(ALIASES.keySet());
  }

  /**
   * The number of an errno name such as {@code ENOENT}, as the kernel numbers them (and auditctl's
   * {@code -F exit=-ENOENT} takes them) on the architectures these tables cover.
   */
  public static OptionalInt errno(String name) {
    int n = Tables.get().errnoNumber(name);
    return n < 0 ? OptionalInt.empty() : OptionalInt.of(n);
  }

  /** This table's architecture. */
  public String arch() {
    return arch;
  }

  /** The number of a system call on this architecture. */
  public OptionalInt number(String name) {
    Integer n = byName.get(name);
    return n == null ? OptionalInt.empty() : OptionalInt.of(n);
  }

  /** The name of a system call number on this architecture. */
  public Optional<String> name(int number) {
    return number >= 0 && number < byNumber.length
        ? Optional.ofNullable(byNumber[number])
        : Optional.empty();
  }

  /** All names, in number order. */
  public Set<String> names() {
    return byName.keySet();
  }
}
