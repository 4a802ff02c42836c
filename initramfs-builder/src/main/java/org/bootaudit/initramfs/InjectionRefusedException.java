package org.bootaudit.initramfs;

import java.io.IOException;

/**
 * bootaudit refuses to set up early-boot auditing here: injection cannot work on this image (or
 * with this auditctl or these rules), or a target root cannot be set up (a file in the way that
 * bootaudit did not write, no manifest to undo). The message says why and what to do.
 */
public final class InjectionRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  InjectionRefusedException(String message) {
    super(message);
  }
}
