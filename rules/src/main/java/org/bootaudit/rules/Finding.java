package org.bootaudit.rules;

import java.util.Optional;
import org.bootaudit.core.SourceLocation;

/**
 * One lint result: printed as {@code file:line:col: error: message (hint: hint)}.
 *
 * @param severity {@link Severity#ERROR} when the rules would fail to load or defeat capture
 * @param location where the problem is
 * @param message what is wrong
 * @param hint how to fix it, when there is a known fix
 */
public record Finding(
    Severity severity, SourceLocation location, String message, Optional<String> hint) {

  /** How bad a finding is. */
  public enum Severity {
    /** The rule will not load, or will silently defeat capture. */
    ERROR,
    /** The rule loads but probably does not do what was meant. */
    WARNING
  }

  @Override
  public String toString() {
    String level = severity == Severity.ERROR ? "error" : "warning";
    return location + ": " + level + ": " + message
        + hint.map(h -> " (hint: " + h + ")").orElse("");
  }
}
