package org.bootaudit.initramfs;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.bootaudit.core.InputLocation;

/**
 * Where in an image a problem was found: the file, the segment, the byte in the file where that
 * segment starts, and where known the byte inside its decompressed data and the cpio entry.
 *
 * <p>Printed as the error messages print it: {@code initrd.img: segment 2 (zstd) at byte
 * 0x1f400, decompressed byte 0x2a0}; for an uncompressed segment the file's byte of the problem,
 * {@code initrd.img: segment 1 (none) at byte 0x74}; for a problem outside any segment only the
 * file's name.
 *
 * @param source the image's file name
 * @param segment the segment's number (from 1), or 0 when the problem is outside any segment
 * @param compression how the segment is stored, when its magic was recognised
 * @param offset the byte in the file where the segment starts (its compressed offset)
 * @param decompressedOffset the byte inside the segment's (decompressed) data, when known
 * @param entry the name of the cpio entry at fault, when known
 */
public record ImageLocation(
    String source,
    int segment,
    Optional<Compression> compression,
    long offset,
    OptionalLong decompressedOffset,
    Optional<String> entry)
    implements InputLocation {

  /** Checks that no component is null. */
  public ImageLocation {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(decompressedOffset, "decompressedOffset");
    Objects.requireNonNull(entry, "entry");
  }

  /** The whole file, outside any segment. */
  static ImageLocation file(String source) {
    return new ImageLocation(
        source, 0, Optional.empty(), 0, OptionalLong.empty(), Optional.empty());
  }

  /** Segment {@code number} starting at {@code offset}, stored as {@code compression} if known. */
  static ImageLocation segment(
      String source, int number, Optional<Compression> compression, long offset) {
    return new ImageLocation(
        source, number, compression, offset, OptionalLong.empty(), Optional.empty());
  }

  /** This segment's byte {@code at} of its decompressed data, in {@code entry} if known. */
  ImageLocation within(long at, Optional<String> entry) {
    return new ImageLocation(source, segment, compression, offset, OptionalLong.of(at), entry);
  }

  @Override
  public String toString() {
    if (segment == 0) {
      return source;
    }
    StringBuilder s = new StringBuilder(source).append(": segment ").append(segment);
    compression.ifPresent(c -> s.append(" (").append(c.label()).append(')'));
    if (compression.equals(Optional.of(Compression.NONE))) {
      return s.append(" at byte ")
          .append(Text.hex(offset + decompressedOffset.orElse(0)))
          .toString();
    }
    s.append(" at byte ").append(Text.hex(offset));
    decompressedOffset.ifPresent(d -> s.append(", decompressed byte ").append(Text.hex(d)));
    return s.toString();
  }
}
