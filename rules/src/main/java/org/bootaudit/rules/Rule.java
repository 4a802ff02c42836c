package org.bootaudit.rules;

import org.bootaudit.core.SourceLocation;

/**
 * One line of an audit rules file: a control setting, a syscall rule or a path watch.
 *
 * <p>{@link #canonical()} spells a rule the way {@code auditctl -l} lists it back, so two rules
 * with equal canonical forms are the same kernel rule.
 */
public sealed interface Rule permits ControlRule, SyscallRule, WatchRule {

  /** The kinds of rule, for exhaustive switches. */
  enum Kind {
    /** {@code -D -b -e -f -r --backlog_wait_time --loginuid-immutable -i -c}. */
    CONTROL,
    /** {@code -a list,action -F ... -S ... -C ... -k ...}. */
    SYSCALL,
    /** {@code -w path -p perms -k key}. */
    WATCH
  }

  /** Returns this rule's kind. */
  Kind kind();

  /** Returns where the rule starts. */
  SourceLocation location();

  /** Returns the rule in auditctl syntax, normalised so that equivalent spellings are equal. */
  String canonical();
}
