package org.bootaudit.rules;

import java.util.Set;

/** What auditctl accepts in {@code -F} and {@code -C}, and how {@code auditctl -l} respells values. */
final class Fields {

  static final Set<String> NAMES = Set.of(
      "a0",
      "a1",
      "a2",
      "a3",
      "arch",
      "auid",
      "loginuid",
      "devmajor",
      "devminor",
      "dir",
      "egid",
      "euid",
      "exe",
      "exit",
      "filetype",
      "fsgid",
      "fstype",
      "fsuid",
      "gid",
      "inode",
      "key",
      "msgtype",
      "obj_uid",
      "obj_gid",
      "obj_user",
      "obj_role",
      "obj_type",
      "obj_lev_low",
      "obj_lev_high",
      "path",
      "perm",
      "pers",
      "pid",
      "ppid",
      "saddr_fam",
      "sessionid",
      "sgid",
      "subj_user",
      "subj_role",
      "subj_type",
      "subj_sen",
      "subj_clr",
      "success",
      "suid",
      "uid");

  /** Operators, longest first so that {@code !=} wins over {@code =}. */
  static final String[] OPERATORS = {"!=", ">=", "<=", "&=", "=", ">", "<", "&"};

  static final Set<String> IDS = Set.of(
      "auid", "uid", "euid", "suid", "fsuid", "gid", "egid", "sgid", "fsgid", "obj_uid", "obj_gid");

  /** Fields whose values are names or paths: only equality makes sense. */
  static final Set<String> EQUALITY_ONLY = Set.of(
      "arch",
      "dir",
      "path",
      "exe",
      "filetype",
      "fstype",
      "msgtype",
      "obj_user",
      "obj_role",
      "obj_type",
      "subj_user",
      "subj_role",
      "subj_type",
      "success");

  static final Set<String> ASSIGN_ONLY = Set.of("key", "perm");

  private Fields() {}

  static String canonicalName(String name) {
    return name.equals("loginuid") ? "auid" : name;
  }

  /** The value as {@code auditctl -l} prints it: unset ids as -1, arguments in hex, perms ordered. */
  static String canonicalValue(String name, String value) {
    String n = canonicalName(name);
    if (IDS.contains(n) && (value.equals("unset") || value.equals("4294967295"))) {
      return "-1";
    }
    if (n.matches("a[0-3]")) {
      return number(value).map(v -> "0x" + Long.toHexString(v)).orElse(value);
    }
    return switch (n) {
      case "perm" -> Canonical.perms(value);
      case "arch" -> value.equals("x86_64") ? "b64" : value.equals("i386") ? "b32" : value;
      default -> value;
    };
  }

  /** Parses auditctl's numbers: decimal, {@code 0x} hex, or octal with a leading 0. */
  static java.util.Optional<Long> number(String s) {
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) {
        return java.util.Optional.of(Long.parseUnsignedLong(s.substring(2), 16));
      }
      return java.util.Optional.of(
          s.length() > 1 && s.startsWith("0") ? Long.parseLong(s, 8) : Long.parseLong(s));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }
}
