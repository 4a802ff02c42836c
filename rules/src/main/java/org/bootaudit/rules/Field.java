package org.bootaudit.rules;

import org.bootaudit.core.SourceLocation;

/**
 * One {@code -F name op value} filter, or with {@code comparison} one {@code -C name op name}.
 *
 * <p>{@code -k key} is kept as the field {@code key=key}, the way {@code auditctl -l} lists it.
 *
 * @param name the field name ({@code auid}, {@code arch}, {@code dir}…)
 * @param operator one of {@code = != < > <= >= & &=}
 * @param value the value as written (for {@code -C}, the other field's name)
 * @param comparison whether this is a {@code -C} field-to-field comparison
 * @param location where the name starts
 */
public record Field(
    String name, String operator, String value, boolean comparison, SourceLocation location) {

  /** Returns the field in auditctl syntax, value normalised as {@code auditctl -l} lists it. */
  public String canonical() {
    return (comparison ? "-C " : "-F ")
        + Fields.canonicalName(name)
        + operator
        + Fields.canonicalValue(name, value);
  }
}
