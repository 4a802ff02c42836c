package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Entry point. Read, list and extract:
 *
 * <pre>{@code
 * Image image = Initramfs.reader().read(Path.of("/boot/initrd.img"));
 * for (Segment s : image.segments()) System.out.println(s.compression() + " " + s.entries().size());
 * Initramfs.reader().maxExpandedSize(1L << 30).extract(imagePath, Path.of("out"));
 * }</pre>
 */
public final class Initramfs {
  private Initramfs() {}

  /**
   * Writes {@code image} unchanged to {@code out}: byte-identical, through a temporary file
   * renamed into place. Refuses to overwrite the input.
   */
  public static void write(Image image, Path out) throws IOException {
    ImageWriter.write(image, out, false);
  }

  /** An injector with the defaults: {@code /usr/sbin/auditctl}, the built-in early-boot rules. */
  public static Injector injector() {
    return new Injector();
  }

  /**
   * Sets up the target root {@code root} (the running one with {@code /}) so that the images its
   * own tools build start auditing, or undoes that: what {@code bootaudit enable} and {@code
   * disable} do.
   */
  public static RootSetup rootSetup(Path root) {
    return new RootSetup(root);
  }

  /** A reader with the default limits. */
  public static Reader reader() {
    return new Reader();
  }
}
