package org.bootaudit.core;

/** What to do with a line that is not a valid audit record. */
public enum ErrorMode {
  /** Stop at the first bad line with an {@link AuditParseException}. */
  STRICT,
  /** Skip bad lines; each skip is counted and located in {@link LogSummary#skipped()}. */
  LENIENT
}
