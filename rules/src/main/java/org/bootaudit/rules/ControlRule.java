package org.bootaudit.rules;

import java.util.Arrays;
import java.util.Optional;
import org.bootaudit.core.SourceLocation;

/**
 * A setting of the audit subsystem rather than a rule: {@code -D}, {@code -b 65536}, {@code -e 1}…
 *
 * @param option which setting
 * @param value its argument, for options that take one
 * @param location where the option is
 */
public record ControlRule(Option option, Optional<String> value, SourceLocation location)
    implements Rule {

  /** The control options auditctl accepts in a rules file. */
  public enum Option {
    /** {@code -D}: delete all rules. */
    DELETE_ALL("-D", false),
    /** {@code -b N}: the kernel's backlog limit. */
    BACKLOG("-b", true),
    /** {@code -e 0|1|2}: disable, enable, or enable and lock. */
    ENABLED("-e", true),
    /** {@code -f 0|1|2}: on failure be silent, printk, or panic. */
    FAILURE("-f", true),
    /** {@code -r N}: message rate limit per second. */
    RATE("-r", true),
    /** {@code --backlog_wait_time N}: how long a full backlog blocks a task, in jiffies. */
    BACKLOG_WAIT_TIME("--backlog_wait_time", true),
    /** {@code --loginuid-immutable}: loginuid cannot change once set (irreversible). */
    LOGINUID_IMMUTABLE("--loginuid-immutable", false),
    /** {@code -i}: ignore errors when loading rules. */
    IGNORE_ERRORS("-i", false),
    /** {@code -c}: continue loading after an error. */
    CONTINUE("-c", false);

    private final String flag;
    private final boolean takesValue;

    Option(String flag, boolean takesValue) {
      this.flag = flag;
      this.takesValue = takesValue;
    }

    /** Returns the option as written, e.g. {@code -b}. */
    public String flag() {
      return flag;
    }

    /** Returns whether the option takes an argument. */
    public boolean takesValue() {
      return takesValue;
    }

    static Optional<Option> find(String flag) {
      return Arrays.stream(values()).filter(o -> o.flag.equals(flag)).findFirst();
    }
  }

  @Override
  public Kind kind() {
    return Kind.CONTROL;
  }

  @Override
  public String canonical() {
    return option.flag + value.map(v -> " " + v).orElse("");
  }
}
