package org.bootaudit.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.bootaudit.analysis.TimeSyntax.Bound;
import org.junit.jupiter.api.Test;

class TimeSyntaxTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Instant NOW = Instant.parse("2026-11-27T10:15:30Z");
  private final TimeSyntax t =
      TimeSyntax.of(BERLIN, Clock.fixed(NOW, BERLIN), () -> Instant.parse("2026-11-27T08:00:00Z"));

  @Test
  void ausearchDateAndTimeAreLocalToTheZoneGiven() {
    assertThat(t.parse("2026-11-27 00:39:55", Bound.START)).isEqualTo("2026-11-26T23:39:55Z");
    assertThat(t.parse("11/27/2026 00:39:55", Bound.START)).isEqualTo("2026-11-26T23:39:55Z");
    assertThat(t.parse("00:39:55", Bound.START)).isEqualTo("2026-11-26T23:39:55Z");
    assertThat(t.parse("2026-11-27", Bound.START)).isEqualTo("2026-11-26T23:00:00Z");
  }

  @Test
  void anEndCoversTheUnitItNames() {
    assertThat(t.parse("2026-11-27", Bound.END)).isEqualTo("2026-11-27T23:00:00Z");
    assertThat(t.parse("2026-11-27 00:39", Bound.END)).isEqualTo("2026-11-26T23:40:00Z");
    assertThat(t.parse("00:39:55", Bound.END)).isEqualTo("2026-11-26T23:39:56Z");
    assertThat(t.parse("2026-11-27T00:39:55.5", Bound.END)).isEqualTo("2026-11-26T23:39:55.5Z");
  }

  @Test
  void isoWithAZoneAndEpochSecondsAreExact() {
    assertThat(t.parse("2026-11-27T00:39:55Z", Bound.END)).isEqualTo("2026-11-27T00:39:55Z");
    assertThat(t.parse("2026-11-27T01:39:55+01:00", Bound.START)).isEqualTo("2026-11-27T00:39:55Z");
    assertThat(t.parse("1764200395", Bound.END)).isEqualTo(Instant.ofEpochSecond(1764200395));
    assertThat(t.parse("@1764200395.25", Bound.START))
        .isEqualTo(Instant.ofEpochSecond(1764200395, 250_000_000));
  }

  @Test
  void keywordsAreAusearchs() {
    assertThat(t.parse("now", Bound.END)).isEqualTo(NOW);
    assertThat(t.parse("recent", Bound.START)).isEqualTo("2026-11-27T10:05:30Z");
    assertThat(t.parse("today", Bound.START)).isEqualTo("2026-11-26T23:00:00Z");
    assertThat(t.parse("Yesterday", Bound.START)).isEqualTo("2026-11-25T23:00:00Z");
    assertThat(t.parse("this-month", Bound.START)).isEqualTo("2026-10-31T23:00:00Z");
    assertThat(t.parse("boot", Bound.START)).isEqualTo("2026-11-27T08:00:00Z");
  }

  @Test
  void anythingElseIsOneLineSayingWhatWasExpected() {
    assertThatThrownBy(() -> t.parse("tomorrow", Bound.START))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expected 'YYYY-MM-DD [HH:MM[:SS]]'")
        .hasMessageEndingWith("found 'tomorrow'");
    assertThatThrownBy(() -> t.parse("2026-13-01", Bound.START))
        .hasMessageEndingWith("found '2026-13-01'");
    assertThatThrownBy(() -> t.parse("25:00", Bound.START))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
