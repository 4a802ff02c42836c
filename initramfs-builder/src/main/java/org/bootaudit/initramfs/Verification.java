package org.bootaudit.initramfs;

import java.util.List;

/**
 * The checks {@link Injector#verify} made on an image.
 *
 * @param checks each check in the order made
 */
public record Verification(List<Check> checks) {

  /** Copies the list. */
  public Verification {
    checks = List.copyOf(checks);
  }

  /** True when every check passed. */
  public boolean ok() {
    return checks.stream().allMatch(Check::ok);
  }

  /**
   * One check.
   *
   * @param name what was checked, e.g. {@code wrapper}
   * @param ok whether it passed
   * @param detail what was found
   */
  public record Check(String name, boolean ok, String detail) {}
}
