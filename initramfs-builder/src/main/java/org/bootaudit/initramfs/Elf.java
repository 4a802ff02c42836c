package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the dynamic loader reads from an ELF file: class, byte order, machine, PT_INTERP, and
 * from PT_DYNAMIC the DT_NEEDED names and DT_RUNPATH/DT_RPATH. Only headers are trusted
 * after bounds checks; a malformed file is an IOException, never an index exception.
 */
record Elf(
    int elfClass,
    ByteOrder order,
    int machine,
    Optional<String> interpreter,
    List<String> needed,
    List<String> runpath) {

  static final int PT_LOAD = 1;
  static final int PT_DYNAMIC = 2;
  static final int PT_INTERP = 3;

  /** True when {@code head} starts with the ELF magic. */
  static boolean isElf(byte[] head) {
    return head.length >= 20
        && head[0] == 0x7f
        && head[1] == 'E'
        && head[2] == 'L'
        && head[3] == 'F';
  }

  /** Class and machine only, from the first 20 bytes. */
  static String archOf(byte[] head) {
    ByteOrder o = head[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    int machine = ByteBuffer.wrap(head).order(o).getShort(18) & 0xffff;
    return describe(head[4], machine);
  }

  static String describe(int elfClass, int machine) {
    String m = switch (machine) {
      case 3 -> "i386";
      case 62 -> "x86_64";
      case 40 -> "arm";
      case 183 -> "aarch64";
      case 21 -> "ppc64";
      case 22 -> "s390";
      case 243 -> "riscv";
      default -> "machine " + machine;
    };
    return m + (elfClass == 2 ? " (64-bit)" : " (32-bit)");
  }

  String arch() {
    return describe(elfClass, machine);
  }

  static Elf parse(byte[] file, String name) throws IOException {
    if (!isElf(file) || (file[4] != 1 && file[4] != 2)) {
      throw new IOException(name + ": not an ELF file");
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(file)
          .order(file[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      boolean is64 = file[4] == 2;
      int machine = b.getShort(18) & 0xffff;
      long phoff = is64 ? b.getLong(32) : b.getInt(28) & 0xffffffffL;
      int phentsize = b.getShort(is64 ? 54 : 42) & 0xffff;
      int phnum = b.getShort(is64 ? 56 : 44) & 0xffff;
      List<long[]> loads = new ArrayList<>();
      long dynOff = -1;
      long dynSize = 0;
      String interp = null;
      for (int i = 0; i < phnum; i++) {
        int p = Math.toIntExact(Math.addExact(phoff, (long) i * phentsize));
        int type = b.getInt(p);
        long offset = is64 ? b.getLong(p + 8) : b.getInt(p + 4) & 0xffffffffL;
        long vaddr = is64 ? b.getLong(p + 16) : b.getInt(p + 8) & 0xffffffffL;
        long filesz = is64 ? b.getLong(p + 32) : b.getInt(p + 16) & 0xffffffffL;
        if (type == PT_LOAD) {
          loads.add(new long[] {vaddr, offset, filesz});
        } else if (type == PT_DYNAMIC) {
          dynOff = offset;
          dynSize = filesz;
        } else if (type == PT_INTERP) {
          interp = cString(file, Math.toIntExact(offset));
        }
      }
      List<String> needed = new ArrayList<>();
      List<String> runpath = new ArrayList<>();
      List<String> rpath = new ArrayList<>();
      if (dynOff >= 0) {
        int entSize = is64 ? 16 : 8;
        List<long[]> tags = new ArrayList<>();
        long strtab = -1;
        for (long p = dynOff; p + entSize <= dynOff + dynSize; p += entSize) {
          int q = Math.toIntExact(p);
          long tag = is64 ? b.getLong(q) : b.getInt(q);
          long val = is64 ? b.getLong(q + 8) : b.getInt(q + 4) & 0xffffffffL;
          if (tag == 0) {
            break;
          }
          if (tag == 5) {
            strtab = val;
          }
          tags.add(new long[] {tag, val});
        }
        if (strtab >= 0) {
          long strOff = toOffset(loads, strtab, name);
          for (long[] t : tags) {
            String s = t[0] == 1 || t[0] == 15 || t[0] == 29
                ? cString(file, Math.toIntExact(strOff + t[1]))
                : null;
            if (t[0] == 1) {
              needed.add(s);
            } else if (t[0] == 29) {
              runpath.addAll(List.of(s.split(":")));
            } else if (t[0] == 15) {
              rpath.addAll(List.of(s.split(":")));
            }
          }
        }
      }
      return new Elf(
          file[4],
          b.order(),
          machine,
          Optional.ofNullable(interp),
          needed,
          runpath.isEmpty() ? rpath : runpath);
    } catch (IndexOutOfBoundsException | ArithmeticException e) {
      throw new IOException(name + ": malformed ELF headers", e);
    }
  }

  private static long toOffset(List<long[]> loads, long vaddr, String name) throws IOException {
    for (long[] l : loads) {
      if (vaddr >= l[0] && vaddr < l[0] + l[2]) {
        return vaddr - l[0] + l[1];
      }
    }
    throw new IOException(name + ": DT_STRTAB outside every PT_LOAD segment");
  }

  private static String cString(byte[] file, int at) {
    int end = at;
    while (file[end] != 0) {
      end++;
    }
    return new String(file, at, end - at, StandardCharsets.ISO_8859_1);
  }
}
