package org.bootaudit.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the part of each boot that counts ends. Events after it are counted in the summary but not
 * returned, except with {@link #all()}, which returns them as {@link Phase#AFTER_WINDOW}.
 */
public final class BootWindow {

  private static final BootWindow ALL =
      new BootWindow(true, true, OptionalLong.empty(), Optional.empty());
  private static final BootWindow LOGIN =
      new BootWindow(true, false, OptionalLong.empty(), Optional.empty());

  private final boolean untilLogin;
  private final boolean returnsAll;
  private final OptionalLong untilSerial;
  private final Optional<Instant> untilTime;

  private BootWindow(
      boolean untilLogin,
      boolean returnsAll,
      OptionalLong untilSerial,
      Optional<Instant> untilTime) {
    this.untilLogin = untilLogin;
    this.returnsAll = returnsAll;
    this.untilSerial = untilSerial;
    this.untilTime = untilTime;
  }

  /**
   * Every event of every boot. The window still ends at the first login marker, as with {@link
   * #untilLogin()}, but the events after it are returned too, as {@link Phase#AFTER_WINDOW}.
   */
  public static BootWindow all() {
    return ALL;
  }

  /**
   * Up to the first login marker of each boot, that event included: a getty, serial-getty,
   * console-getty or display-manager SERVICE_START, a successful USER_LOGIN, or a LOGIN made by
   * login or sshd.
   */
  public static BootWindow untilLogin() {
    return LOGIN;
  }

  /** Up to and including this serial in each boot. */
  public static BootWindow untilSerial(long serial) {
    return new BootWindow(false, false, OptionalLong.of(serial), Optional.empty());
  }

  /** Up to and including this time. */
  public static BootWindow untilTime(Instant time) {
    return new BootWindow(
        false, false, OptionalLong.empty(), Optional.of(Objects.requireNonNull(time)));
  }

  boolean untilLoginMarker() {
    return untilLogin;
  }

  /** True when the events after the window's end are returned as well. */
  boolean returnsAll() {
    return returnsAll;
  }

  OptionalLong serialLimit() {
    return untilSerial;
  }

  Optional<Instant> timeLimit() {
    return untilTime;
  }

  @Override
  public String toString() {
    if (returnsAll) {
      return "whole log";
    }
    if (untilLogin) {
      return "until first login";
    }
    if (untilSerial.isPresent()) {
      return "until serial " + untilSerial.getAsLong();
    }
    return "until " + untilTime.orElseThrow();
  }
}
