package org.bootaudit.core;

import java.util.Optional;

/** Records that show a boot reached its login prompt or a login. */
final class LoginMarkers {

  private static final String[] LOGIN_UNITS = {
    "getty@",
    "serial-getty@",
    "console-getty",
    "container-getty@",
    "autovt@",
    "display-manager",
    "gdm",
    "lightdm",
    "sddm",
    "xdm",
  };

  private LoginMarkers() {}

  /** A description of the marker in {@code e}, if it holds one. */
  static Optional<String> find(AuditEvent e) {
    for (Record r : e.records) {
      switch (r.type) {
        case "SERVICE_START" -> {
          String unit = r.text("unit");
          if (unit != null && isSuccess(r) && isLoginUnit(unit)) {
            return Optional.of("SERVICE_START " + unit);
          }
        }
        case "USER_LOGIN" -> {
          if (isSuccess(r)) {
            String exe = r.name("exe");
            return Optional.of("USER_LOGIN" + (exe == null ? "" : " by " + exe));
          }
        }
        case "LOGIN" -> {
          String tty = r.text("tty");
          if (isSuccess(r) && tty != null && !tty.equals("(none)")) {
            return Optional.of("LOGIN on " + tty);
          }
        }
        default -> {}
      }
    }
    return Optional.empty();
  }

  private static boolean isSuccess(Record r) {
    String res = r.text("res");
    return "success".equals(res) || "1".equals(res);
  }

  private static boolean isLoginUnit(String unit) {
    for (String u : LOGIN_UNITS) {
      if (unit.startsWith(u)) {
        return true;
      }
    }
    return false;
  }
}
