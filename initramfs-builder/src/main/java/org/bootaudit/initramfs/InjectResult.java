package org.bootaudit.initramfs;

import java.util.List;

/**
 * What {@link Injector#inject} wrote.
 *
 * @param image the written image, as read back
 * @param mode how the hook was installed (never {@link Injector.Mode#AUTO})
 * @param generator which generator built the input, as detected
 * @param added names added (or replaced) by the injection
 * @param newSegments the segments of {@code image} that the injection wrote, in image order
 * @param kernelArguments what the kernel command line needs for auditing to start at boot
 * @param warnings things the caller should tell the user
 */
public record InjectResult(
    Image image,
    Injector.Mode mode,
    Injector.Generator generator,
    List<String> added,
    List<Segment> newSegments,
    String kernelArguments,
    List<String> warnings) {

  /** Copies the lists. */
  public InjectResult {
    added = List.copyOf(added);
    newSegments = List.copyOf(newSegments);
    warnings = List.copyOf(warnings);
  }
}
