package org.bootaudit.cli;

/** Help text shared by several commands. */
final class Help {

  private Help() {}

  /**
   * The one time syntax ({@link org.bootaudit.analysis.TimeSyntax}), in lines short enough not to
   * wrap ({@code %n}: picocli's line break).
   */
  static final String TIME = "%n"
      + "TIME, in the local zone unless --tz ZONE or the text gives one:%n"
      + "  '2026-11-27 00:39:55', '2026-11-27 00:39', 2026-11-27, '11/27/2026 00:39:55'%n"
      + "  00:39:55 (today)%n"
      + "  ISO-8601 (zone optional): 2026-11-27T00:39:55Z, 2026-11-27T01:39:55+01:00%n"
      + "  epoch seconds: 1795732004 or @1795732004.250%n"
      + "  ausearch's now, recent, this-hour, today, yesterday, this-week, week-ago,%n"
      + "  this-month, this-year, boot (this host's boot)%n"
      + "An end takes the whole unit it names: a date its day, HH:MM its minute.%n";
}
