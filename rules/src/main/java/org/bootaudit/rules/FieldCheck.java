package org.bootaudit.rules;

import java.util.Optional;
import org.bootaudit.core.InvalidInputException;

/** Validates one {@code -F} or {@code -C} field the way auditctl would refuse it. */
final class FieldCheck {

  /** A problem and whether it is in the value (else in the name or operator). */
  record Problem(String message, boolean atValue) {}

  private FieldCheck() {}

  static Optional<Problem> check(
      String name, String op, String value, boolean comparison, boolean beforeSyscalls) {
    if (!Fields.NAMES.contains(name)) {
      return name("unknown field '" + InvalidInputException.excerpt(name)
          + "' (expected arch, auid, dir, exit, key, path, perm,"
          + " success, uid or another auditctl field)");
    }
    if (value.isEmpty()) {
      return value("expected a value after '" + name + op + "', found end of field");
    }
    return comparison ? comparison(name, op, value) : filter(name, op, value, beforeSyscalls);
  }

  private static Optional<Problem> comparison(String name, String op, String value) {
    if (!op.equals("=") && !op.equals("!=")) {
      return name("expected = or != in -C, found '" + op + "'");
    }
    if (!Fields.IDS.contains(Fields.canonicalName(name))
        || !Fields.IDS.contains(Fields.canonicalName(value))) {
      return name("expected two id fields such as 'auid!=obj_uid' in -C, found '"
          + InvalidInputException.excerpt(name + op + value) + "'");
    }
    return Optional.empty();
  }

  private static Optional<Problem> filter(
      String name, String op, String value, boolean beforeSyscalls) {
    if (Fields.ASSIGN_ONLY.contains(name) && !op.equals("=")) {
      return name("expected '=' after " + name + ", found '" + op + "'");
    }
    if (Fields.EQUALITY_ONLY.contains(name) && !op.equals("=") && !op.equals("!=")) {
      return name("expected = or != after " + name + ", found '" + op + "'");
    }
    return switch (Fields.canonicalName(name)) {
      case "arch" -> arch(value, beforeSyscalls);
      case "perm" ->
        value.matches("[rwxa]+")
            ? Optional.empty()
            : value("expected permissions from 'rwxa', found '"
                + InvalidInputException.excerpt(value) + "'");
      case "success" ->
        value.matches("[01]")
            ? Optional.empty()
            : value("expected 0 or 1 for success, found '" + InvalidInputException.excerpt(value)
                + "'");
      case "key" ->
        value.length() > MAX_KEY
            ? value("expected a key of at most " + MAX_KEY + " bytes (the kernel's"
                + " limit), found " + value.length())
            : Optional.empty();
      case "exit" -> exit(value);
      case "a0",
          "a1",
          "a2",
          "a3",
          "inode",
          "devmajor",
          "devminor",
          "pid",
          "ppid",
          "sessionid",
          "pers",
          "saddr_fam" -> number32(name, value);
      default ->
        Fields.IDS.contains(Fields.canonicalName(name)) ? id(name, value) : Optional.empty();
    };
  }

  /** AUDIT_MAX_KEY_LEN: the kernel refuses longer keys (all of a rule's keys joined by 0x01). */
  static final int MAX_KEY = 256;

  /** The kernel's rule fields hold 32-bit values (signed or not); auditctl refuses what does not parse or fit. */
  private static Optional<Problem> number32(String name, String value) {
    Optional<Long> n = value.startsWith("-")
        ? Fields.number(value.substring(1)).map(v -> -v)
        : Fields.number(value);
    if (n.isEmpty() || n.get() < Integer.MIN_VALUE || n.get() > 0xffffffffL) {
      return value("expected a 32-bit number (decimal, 0x hex or 0 octal) for " + name + ", found '"
          + InvalidInputException.excerpt(value) + "'");
    }
    return Optional.empty();
  }

  /** A return value: a number (negative for errors) or {@code -ENAME} with a known errno. */
  private static Optional<Problem> exit(String value) {
    if (value.startsWith("-E") || value.startsWith("E")) {
      String errno = value.startsWith("-") ? value.substring(1) : value;
      return org.bootaudit.core.SyscallTable.errno(errno).isPresent()
          ? Optional.empty()
          : value("unknown errno '" + InvalidInputException.excerpt(errno)
              + "' (expected a name such as EACCES or ENOENT)");
    }
    Optional<Long> n = value.startsWith("-")
        ? Fields.number(value.substring(1)).map(v -> -v)
        : Fields.number(value);
    if (n.isEmpty() || n.get() < Integer.MIN_VALUE || n.get() > 0xffffffffL) {
      return value("expected a number or -ERRNO such as -EACCES for exit, found '"
          + InvalidInputException.excerpt(value) + "'");
    }
    return Optional.empty();
  }

  private static Optional<Problem> arch(String value, boolean beforeSyscalls) {
    if (Syscalls.table(value).isEmpty()) {
      return value("unknown arch '" + InvalidInputException.excerpt(value)
          + "' (expected b64, b32, x86_64, i386, aarch64…)");
    }
    return beforeSyscalls
        ? Optional.empty()
        : name("expected -F arch= before -S, found it after (auditctl refuses this)");
  }

  /** Ids are numbers or user/group names; the kernel refuses an unset id (-1) except for auid. */
  private static Optional<Problem> id(String name, String value) {
    boolean unset = value.equals("unset") || value.equals("-1") || value.equals("4294967295");
    if (unset && !Fields.canonicalName(name).equals("auid")) {
      return value("expected a valid id for " + name + ", found '"
          + InvalidInputException.excerpt(value) + "' (the kernel accepts unset only for auid)");
    }
    if (value.matches("[0-9]+") && (value.length() > 10 || Long.parseLong(value) > 4294967295L)) {
      return value("expected an id from 0 to 4294967295 for " + name + ", found '"
          + InvalidInputException.excerpt(value) + "' (ids are 32 bits)");
    }
    boolean ok = unset || value.matches("[0-9]+|[A-Za-z_][A-Za-z0-9_.-]*\\$?");
    return ok
        ? Optional.empty()
        : value("expected a number, a name or 'unset' for " + name + ", found '"
            + InvalidInputException.excerpt(value) + "'");
  }

  private static Optional<Problem> name(String message) {
    return Optional.of(new Problem(message, false));
  }

  private static Optional<Problem> value(String message) {
    return Optional.of(new Problem(message, true));
  }
}
