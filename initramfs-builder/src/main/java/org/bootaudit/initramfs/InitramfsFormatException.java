package org.bootaudit.initramfs;

import java.io.IOException;

/**
 * An image is not what the kernel would accept, or is hostile. The message names the file,
 * the segment and the byte offset, e.g. {@code initrd.img: segment 2 (zstd) at byte 0x1f400,
 * decompressed byte 0x2a0: entry 'usr/x.ko' claims 9 GiB, the cap is 2 GiB}.
 */
public final class InitramfsFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int segment;
  private final long offset;

  InitramfsFormatException(String message, int segment, long offset) {
    super(message);
    this.segment = segment;
    this.offset = offset;
  }

  InitramfsFormatException(String message, int segment, long offset, Throwable cause) {
    super(message, cause);
    this.segment = segment;
    this.offset = offset;
  }

  /** The segment number (from 1), or 0 when the problem is outside any segment. */
  public int segment() {
    return segment;
  }

  /** The byte offset in the image file where the failing segment (or gap) starts. */
  public long offset() {
    return offset;
  }
}
