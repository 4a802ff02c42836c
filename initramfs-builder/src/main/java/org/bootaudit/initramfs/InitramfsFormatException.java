package org.bootaudit.initramfs;

import org.bootaudit.core.InvalidInputException;

/**
 * An image is not what the kernel would accept, or is hostile. The message is the {@link
 * #location()} and the {@link #problem()}, e.g. {@code initrd.img: segment 2 (zstd) at byte
 * 0x1f400, decompressed byte 0x2a0: entry 'usr/x.ko' claims 9 GiB, the cap is 2 GiB}.
 *
 * <p>Unchecked, as every {@link InvalidInputException} is: catch it apart from I/O errors.
 */
public final class InitramfsFormatException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  InitramfsFormatException(ImageLocation location, String problem) {
    super(location, problem, null);
  }

  InitramfsFormatException(ImageLocation location, String problem, Throwable cause) {
    super(location, problem, cause);
  }

  /** Where in the image: file, segment, byte offsets and entry. */
  @Override
  public ImageLocation location() {
    return (ImageLocation) super.location();
  }
}
