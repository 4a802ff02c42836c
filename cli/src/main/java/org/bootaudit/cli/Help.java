package org.bootaudit.cli;

/** Help text shared by several commands. */
final class Help {

  private Help() {}

  /** The one time syntax ({@link org.bootaudit.analysis.TimeSyntax}). */
  static final String TIME =
      "TIME: '2026-11-27 00:39:55', '2026-11-27 00:39', 2026-11-27, '11/27/2026 00:39:55' or 00:39:55 (today), in the"
          + " local zone or --tz; ISO-8601 with or without a zone (2026-11-27T00:39:55Z); epoch seconds (1795732004);"
          + " or ausearch's now, recent, this-hour, today, yesterday, this-week, week-ago, this-month, this-year, boot"
          + " (this host's boot). An end takes the whole unit it names: a date its day, HH:MM its minute.";
}
