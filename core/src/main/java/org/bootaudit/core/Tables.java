package org.bootaudit.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Name tables generated from auditd's own data (see {@code core/tools/}): system calls per
 * architecture, audit record types and errno names. Loaded once, on first use, from resources.
 */
final class Tables {

  private static final Tables INSTANCE = new Tables();

  /** AUDIT_ARCH_* values (hex, as in {@code arch=}) and the table that serves each. */
  private static final Map<String, String[]> ARCHES = Map.ofEntries(
      Map.entry("c000003e", new String[] {"x86_64", "x86_64"}),
      Map.entry("40000003", new String[] {"i386", "i386"}),
      Map.entry("c00000b7", new String[] {"aarch64", "aarch64"}),
      Map.entry("40000028", new String[] {"arm", "arm"}),
      Map.entry("80000015", new String[] {"ppc64", "ppc64"}),
      Map.entry("c0000015", new String[] {"ppc64le", "ppc64"}),
      Map.entry("00000014", new String[] {"ppc", "ppc64"}),
      Map.entry("80000016", new String[] {"s390x", "s390x"}),
      Map.entry("00000016", new String[] {"s390", "s390"}),
      Map.entry("c00000f3", new String[] {"riscv64", "riscv64"}));

  private final Map<String, String[]> syscalls = new ConcurrentHashMap<>();
  private final Map<Integer, String> types;
  private final Map<Integer, String> errnos;

  private Tables() {
    types = load("audit-types.txt");
    errnos = load("errno.txt");
  }

  static Tables get() {
    return INSTANCE;
  }

  /** The architecture's name for a raw {@code arch=} value, or the value itself. */
  String archName(String hex) {
    String[] a = ARCHES.get(normalizeArch(hex));
    return a == null ? hex : a[0];
  }

  /** The system call's name on that architecture, or {@code syscall#N}. */
  String syscallName(String archHex, int number) {
    String[] a = ARCHES.get(normalizeArch(archHex));
    if (a == null) {
      return "syscall#" + number;
    }
    String[] table = syscalls.computeIfAbsent(a[1], Tables::loadSyscalls);
    String name = number >= 0 && number < table.length ? table[number] : null;
    return name == null ? "syscall#" + number : name;
  }

  /** The table of a canonical architecture name ({@code ppc64le} and {@code ppc} use ppc64's). */
  String[] syscallTable(String arch) {
    String table = switch (arch) {
      case "ppc64le", "ppc" -> "ppc64";
      default -> arch;
    };
    return syscalls.computeIfAbsent(table, Tables::loadSyscalls);
  }

  /** The record type's name as auditd prints it, or {@code UNKNOWN[N]} as auditd does. */
  String typeName(int number) {
    String name = types.get(number);
    return name == null ? "UNKNOWN[" + number + "]" : name;
  }

  /** The number of an errno name ({@code ENOENT}), or -1. */
  int errnoNumber(String name) {
    for (Map.Entry<Integer, String> e : errnos.entrySet()) {
      if (e.getValue().equals(name)) {
        return e.getKey();
      }
    }
    return -1;
  }

  /** The errno name for a positive number, or {@code errno#N}. */
  String errnoName(int number) {
    String name = errnos.get(number);
    return name == null ? "errno#" + number : name;
  }

  private static String normalizeArch(String hex) {
    if (hex.length() == 8 && ARCHES.containsKey(hex)) {
      return hex; // the common case: auditd writes eight lower-case digits
    }
    String h = hex.toLowerCase(java.util.Locale.ROOT);
    return h.length() < 8 ? "0".repeat(8 - h.length()) + h : h;
  }

  private static String[] loadSyscalls(String arch) {
    Map<Integer, String> m = load("syscalls/" + arch + ".txt");
    int max = m.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    String[] table = new String[max + 1];
    m.forEach((k, v) -> table[k] = v);
    return table;
  }

  private static Map<Integer, String> load(String resource) {
    Map<Integer, String> map = new HashMap<>();
    try (InputStream in = Tables.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        map.put(
            Integer.parseInt(line.substring(0, tab)), line.substring(tab + 1).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return map;
  }
}
