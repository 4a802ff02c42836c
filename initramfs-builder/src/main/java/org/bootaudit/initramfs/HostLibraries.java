package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An executable's loader and DT_NEEDED closure found on this machine the way ld.so would
 * (RUNPATH/RPATH with $ORIGIN, then the multiarch and default directories), without running
 * {@code ldd}. Candidates of another class or machine are skipped, as ld.so does.
 */
record HostLibraries(Elf executable, Optional<Path> loader, Map<String, Path> libraries) {

  static HostLibraries of(Path exe) throws IOException {
    Elf elf = Elf.parse(Files.readAllBytes(exe), exe.toString());
    Map<String, Path> libs = new LinkedHashMap<>();
    Deque<Object[]> todo = new ArrayDeque<>();
    todo.add(new Object[] {exe, elf});
    while (!todo.isEmpty()) {
      Object[] next = todo.poll();
      Path from = (Path) next[0];
      Elf e = (Elf) next[1];
      for (String name : e.needed()) {
        if (libs.containsKey(name)) {
          continue;
        }
        Path found = find(name, from, e, elf);
        libs.put(name, found);
        todo.add(new Object[] {found, Elf.parse(Files.readAllBytes(found), found.toString())});
      }
    }
    Optional<Path> loader = elf.interpreter().map(Path::of);
    if (loader.isPresent() && !Files.isRegularFile(loader.get())) {
      throw new IOException(exe + ": its loader " + loader.get() + " does not exist");
    }
    return new HostLibraries(elf, loader, libs);
  }

  private static Path find(String name, Path from, Elf requirer, Elf exe) throws IOException {
    List<String> dirs = new ArrayList<>();
    String origin = from.toAbsolutePath().getParent().toString();
    for (String r : requirer.runpath()) {
      dirs.add(r.replace("$ORIGIN", origin).replace("${ORIGIN}", origin));
    }
    dirs.addAll(defaultDirs(exe.machine()));
    for (String d : dirs) {
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p)) {
        byte[] head = new byte[20];
        try (var in = Files.newInputStream(p)) {
          if (in.readNBytes(head, 0, 20) == 20
              && Elf.isElf(head)
              && head[4] == exe.elfClass()
              && Elf.archOf(head).equals(exe.arch())) {
            return p;
          }
        }
      }
    }
    throw new IOException(from + " needs " + name + ", which is in none of " + dirs);
  }

  static List<String> defaultDirs(int machine) {
    String triplet = switch (machine) {
      case 62 -> "x86_64-linux-gnu";
      case 183 -> "aarch64-linux-gnu";
      case 3 -> "i386-linux-gnu";
      case 40 -> "arm-linux-gnueabihf";
      default -> "";
    };
    List<String> dirs = new ArrayList<>();
    if (!triplet.isEmpty()) {
      dirs.add("/lib/" + triplet);
      dirs.add("/usr/lib/" + triplet);
    }
    dirs.addAll(List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib"));
    return dirs;
  }
}
