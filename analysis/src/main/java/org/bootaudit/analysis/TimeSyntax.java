package org.bootaudit.analysis;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bootaudit.core.InvalidInputException;

/**
 * The one time syntax of every option and file that names a time ({@code --start}, {@code
 * --end}, {@code --until}, {@code access_time.cfg}, {@code atime}): what {@code ausearch} users
 * type, plus ISO-8601 and epoch seconds.
 *
 * <ul>
 *   <li>{@code 2026-11-27 00:39:55}, {@code 2026-11-27 00:39}, {@code 2026-11-27}, {@code
 *       11/27/2026 00:39:55} (ausearch's date, month first) and {@code 00:39:55} or {@code 00:39}
 *       (today): in the zone given, the local zone by default;
 *   <li>ISO-8601: {@code 2026-11-27T00:39:55.5}, and with a zone {@code 2026-11-27T00:39:55Z},
 *       {@code 2026-11-27T01:39:55+01:00} (a zone in the text wins over the default);
 *   <li>epoch seconds: {@code 1764200395}, {@code @1764200395.250};
 *   <li>ausearch's keywords: {@code now}, {@code recent} (10 minutes ago), {@code this-hour},
 *       {@code today}, {@code yesterday} (their midnights), {@code this-week}, {@code week-ago},
 *       {@code this-month}, {@code this-year}, and {@code boot} (when the analysing host booted,
 *       as ausearch takes it: give a time for another host's log).
 * </ul>
 *
 * <p>An end covers the whole unit it names, as a person means it: {@code --end 2026-11-27} takes
 * that whole day, {@code 00:39} that whole minute, {@code 00:39:55} that second. ISO-8601 times
 * with a zone, times with a fraction, epoch seconds and keywords are exact. {@link #parse} returns
 * a start inclusive and an end exclusive.
 */
public final class TimeSyntax {

  /** Whether a time starts a range (inclusive) or ends it (exclusive, covering its unit). */
  public enum Bound {
    /** The first instant taken. */
    START,
    /** The first instant no longer taken. */
    END
  }

  /** What the syntax accepts, for messages. */
  public static final String FORMS =
      "'YYYY-MM-DD [HH:MM[:SS]]', 'HH:MM[:SS]', ISO-8601, epoch seconds, now, recent, today, yesterday, this-week, this-month, this-year or boot";

  private static final Pattern EPOCH = Pattern.compile("@?(\\d{1,12})(?:\\.(\\d{1,9}))?");
  private static final Pattern LOCAL = Pattern.compile(
      "(\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}/\\d{2}(?:\\d{2})?)(?:[ T](\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?))?");
  private static final Pattern TIME_ONLY =
      Pattern.compile("\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?");

  private final ZoneId zone;
  private final Clock clock;
  private final Supplier<Instant> bootTime;

  private TimeSyntax(ZoneId zone, Clock clock, Supplier<Instant> bootTime) {
    this.zone = zone;
    this.clock = clock;
    this.bootTime = bootTime;
  }

  /**
   * The syntax with times in {@code zone} (for text without its own zone), {@code now} from
   * {@code clock}, and {@code boot} from {@code bootTime} (called only when the keyword is used).
   */
  public static TimeSyntax of(ZoneId zone, Clock clock, Supplier<Instant> bootTime) {
    return new TimeSyntax(zone, clock, bootTime);
  }

  /** The zone times without their own zone are read in. */
  public ZoneId zone() {
    return zone;
  }

  /**
   * Parses one time.
   *
   * @throws IllegalArgumentException if the text has none of the forms; the message says what
   *     was expected and found
   */
  public Instant parse(String text, Bound bound) {
    String t = text.strip();
    Optional<Instant> keyword = keyword(t.toLowerCase(Locale.ROOT));
    if (keyword.isPresent()) {
      return keyword.get();
    }
    try {
      Matcher m = EPOCH.matcher(t);
      if (m.matches()) {
        String frac = m.group(2) == null ? "0" : (m.group(2) + "00000000").substring(0, 9);
        return Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(frac));
      }
      m = LOCAL.matcher(t);
      if (m.matches()) {
        LocalDate date = date(m.group(1));
        if (m.group(2) == null) {
          return at(date.atStartOfDay(), bound, ChronoUnit.DAYS);
        }
        return localTime(date, m.group(2), bound);
      }
      if (TIME_ONLY.matcher(t).matches()) {
        return localTime(LocalDate.now(clock.withZone(zone)), t, bound);
      }
      return zoned(t);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "expected " + FORMS + ", found '" + InvalidInputException.excerpt(text) + "'", e);
    }
  }

  private Optional<Instant> keyword(String k) {
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
    ZonedDateTime midnight = now.truncatedTo(ChronoUnit.DAYS);
    return Optional.ofNullable(
        switch (k) {
          case "now" -> now.toInstant();
          case "recent" -> now.minusMinutes(10).toInstant();
          case "this-hour" -> now.truncatedTo(ChronoUnit.HOURS).toInstant();
          case "today" -> midnight.toInstant();
          case "yesterday" -> midnight.minusDays(1).toInstant();
          case "this-week" ->
            midnight
                .with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.SUNDAY))
                .toInstant();
          case "week-ago" -> midnight.minusDays(7).toInstant();
          case "this-month" -> midnight.withDayOfMonth(1).toInstant();
          case "this-year" -> midnight.withDayOfYear(1).toInstant();
          case "boot" -> bootTime.get();
          default -> null;
        });
  }

  private static LocalDate date(String text) {
    if (text.contains("/")) {
      String[] p = text.split("/");
      int year = Integer.parseInt(p[2]);
      return LocalDate.of(
          p[2].length() == 2 ? 2000 + year : year, Integer.parseInt(p[0]), Integer.parseInt(p[1]));
    }
    return LocalDate.parse(text);
  }

  private Instant localTime(LocalDate date, String time, Bound bound) {
    String padded = time.indexOf(':') == 1 ? "0" + time : time;
    LocalTime lt = LocalTime.parse(padded);
    ChronoUnit unit = padded.length() == 5
        ? ChronoUnit.MINUTES
        : padded.length() == 8 ? ChronoUnit.SECONDS : ChronoUnit.NANOS;
    return at(date.atTime(lt), bound, unit);
  }

  private Instant at(LocalDateTime t, Bound bound, ChronoUnit unit) {
    Instant i = t.atZone(zone).toInstant();
    return bound == Bound.END && unit != ChronoUnit.NANOS ? i.plus(Duration.of(1, unit)) : i;
  }

  private Instant zoned(String t) {
    String iso = t.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return ZonedDateTime.parse(iso, DateTimeFormatter.ISO_ZONED_DATE_TIME).toInstant();
      } catch (DateTimeParseException e2) {
        return LocalDateTime.parse(iso).atZone(zone).toInstant();
      }
    }
  }
}
