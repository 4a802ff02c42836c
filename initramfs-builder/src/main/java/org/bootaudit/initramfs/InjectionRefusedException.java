package org.bootaudit.initramfs;

import java.io.IOException;

/** Injection cannot work on this image (or with this auditctl); the message says why and what to do. */
public final class InjectionRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  InjectionRefusedException(String message) {
    super(message);
  }
}
