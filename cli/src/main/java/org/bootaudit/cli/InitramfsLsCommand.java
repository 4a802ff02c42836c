package org.bootaudit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.bootaudit.initramfs.Entry;
import org.bootaudit.initramfs.Image;
import org.bootaudit.initramfs.Segment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bootaudit initramfs ls}: segments and entries of an image. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    description = {
      "List the segments of IMAGE (number, byte offset, length in the file, compression, expanded size, entry count),"
          + " then each segment's entries like 'ls -l' (mode, links, uid, gid, size or device, mtime UTC, name).",
      "A name stored again in a later segment replaces the earlier one at boot: the earlier is marked '(replaced)'."
    })
final class InitramfsLsCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The initramfs file.")
  Path image;

  @Option(names = "--segments", description = "List segments only.")
  boolean segmentsOnly;

  @Option(
      names = "--names",
      description =
          "Only the entries' names, one per line, segment after segment, as lsinitramfs prints them.")
  boolean namesOnly;

  @CommandLine.Mixin
  ImageReadOptions imageOptions;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Image read = InitramfsCommand.guarded(() -> imageOptions.reader().read(image));
    if (namesOnly) {
      // the names' own bytes (lsinitramfs prints them raw); a name is ISO-8859-1, a char a byte
      java.io.ByteArrayOutputStream names = new java.io.ByteArrayOutputStream(1 << 16);
      for (Segment s : read.segments()) {
        for (Entry e : s.entries()) {
          names.writeBytes(e.name().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
          names.write('\n');
        }
      }
      try (Output o = Output.open(null)) {
        names.writeTo(o.stream());
        o.commit();
      }
      return 0;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%s: %,d bytes, %d segment%s%n",
        image, read.size(), read.segments().size(), read.segments().size() == 1 ? "" : "s");
    for (Segment s : read.segments()) {
      out.printf(
          "segment %d  offset 0x%x  length %,d  %s  expanded %,d  entries %d%n",
          s.number(),
          s.offset(),
          s.length(),
          s.compression().label(),
          s.expandedSize(),
          s.entries().size());
    }
    if (segmentsOnly) {
      return 0;
    }
    java.util.Set<Entry> winners =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    winners.addAll(read.effectiveEntries());
    StringBuilder text = new StringBuilder(1 << 16);
    java.util.Map<Long, String> times = new java.util.HashMap<>();
    for (Segment s : read.segments()) {
      text.append("\nsegment ")
          .append(s.number())
          .append(" (")
          .append(s.compression().label())
          .append("):\n");
      for (Entry e : s.entries()) {
        line(text, e, winners.contains(e), times);
      }
    }
    out.print(text);
    return 0;
  }

  /** Appends one {@code ls -l} style line; plain appends, as listings can have 100,000 lines. */
  static void line(StringBuilder b, Entry e, boolean wins, java.util.Map<Long, String> times) {
    String size = switch (e.kind()) {
      case CHAR_DEVICE, BLOCK_DEVICE -> e.rdevMajor() + ", " + e.rdevMinor();
      default -> Long.toString(e.size());
    };
    b.append(e.modeString()).append(' ');
    pad(b, Long.toString(e.nlink()), 2).append(' ');
    pad(b, Long.toString(e.uid()), 4).append(' ');
    pad(b, Long.toString(e.gid()), 4).append(' ');
    pad(b, size, 9).append(' ');
    b.append(times.computeIfAbsent(e.mtime(), t -> TIME.format(Instant.ofEpochSecond(t))))
        .append(' ');
    b.append(InitramfsCommand.display(e.name()));
    if (e.kind() == Entry.Kind.SYMLINK) {
      b.append(" -> ").append(InitramfsCommand.display(e.linkTarget()));
    }
    b.append(wins ? "\n" : "  (replaced)\n");
  }

  private static StringBuilder pad(StringBuilder b, String s, int width) {
    for (int i = s.length(); i < width; i++) {
      b.append(' ');
    }
    return b.append(s);
  }
}
