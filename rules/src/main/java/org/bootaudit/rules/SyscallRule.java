package org.bootaudit.rules;

import java.util.List;
import java.util.Optional;
import org.bootaudit.core.SourceLocation;

/**
 * A filter-list rule, {@code -a list,action -F field=value -S syscalls -C f1!=f2 -k key}.
 *
 * @param list {@code exit}, {@code task}, {@code user}, {@code exclude}, {@code filesystem} or
 *     {@code io_uring}
 * @param action {@code always} or {@code never}
 * @param fields the {@code -F} and {@code -C} fields and the {@code -k} keys (as {@code key=}), in order
 * @param syscalls the {@code -S} names, in order; empty means all
 * @param location where {@code -a} is
 */
public record SyscallRule(
    String list, String action, List<Field> fields, List<Syscall> syscalls, SourceLocation location)
    implements Rule {

  /** Copies the lists. */
  public SyscallRule {
    fields = List.copyOf(fields);
    syscalls = List.copyOf(syscalls);
  }

  @Override
  public Kind kind() {
    return Kind.SYSCALL;
  }

  /** Returns the {@code -F arch=} field, if any. */
  public Optional<Field> arch() {
    return field("arch");
  }

  /** Returns the first {@code -F} field with this name. */
  public Optional<Field> field(String name) {
    return fields.stream()
        .filter(f -> !f.comparison() && Fields.canonicalName(f.name()).equals(name))
        .findFirst();
  }

  /** Returns the keys ({@code -k} or {@code -F key=}), in order. */
  public List<String> keys() {
    return fields.stream()
        .filter(f -> !f.comparison() && f.name().equals("key"))
        .map(Field::value)
        .toList();
  }

  /** Returns whether the rule names no syscall or {@code all}. */
  public boolean allSyscalls() {
    return syscalls.isEmpty() || syscalls.stream().anyMatch(s -> s.name().equals("all"));
  }

  @Override
  public String canonical() {
    return Canonical.syscall(this);
  }
}
