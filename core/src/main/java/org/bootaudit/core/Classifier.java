package org.bootaudit.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Turns an audit event into file events (DESIGN §3.5) and keeps the boot's process tree current.
 * Works from the PATH records' name types, the system call and its flags, and success.
 */
final class Classifier {

  private enum Family {
    OPEN,
    TRUNCATE,
    EXEC,
    CREATE,
    DELETE,
    RENAME,
    ATTR,
    FORK
  }

  private static final Map<String, Family> FAMILIES = new HashMap<>();
  /** Arguments that hold directory fds, for the *at calls. */
  private static final Map<String, int[]> DIRFD_ARGS = new HashMap<>();

  static {
    family(Family.OPEN, "open", "openat", "openat2", "creat", "open_by_handle_at");
    family(Family.TRUNCATE, "truncate", "truncate64");
    family(Family.EXEC, "execve", "execveat");
    family(
        Family.CREATE,
        "mkdir", "mkdirat", "mknod", "mknodat", "link", "linkat", "symlink", "symlinkat");
    family(Family.DELETE, "unlink", "unlinkat", "rmdir");
    family(Family.RENAME, "rename", "renameat", "renameat2");
    family(
        Family.ATTR,
        "chmod", "fchmodat", "fchmodat2", "chown", "lchown", "fchownat", "chown32", "lchown32",
        "setxattr", "lsetxattr", "removexattr", "lremovexattr", "utime", "utimes", "utimensat",
        "futimesat");
    family(Family.FORK, "clone", "clone3", "fork", "vfork");
    for (String s :
        new String[] {
          "openat", "openat2", "mkdirat", "mknodat", "unlinkat", "fchmodat", "fchmodat2",
          "fchownat", "execveat", "utimensat", "futimesat", "open_by_handle_at"
        }) {
      DIRFD_ARGS.put(s, new int[] {0});
    }
    DIRFD_ARGS.put("renameat", new int[] {0, 2});
    DIRFD_ARGS.put("renameat2", new int[] {0, 2});
    DIRFD_ARGS.put("linkat", new int[] {0, 2});
    DIRFD_ARGS.put("symlinkat", new int[] {1});
  }

  private static void family(Family f, String... names) {
    for (String n : names) {
      FAMILIES.put(n, f);
    }
  }

  private static final int O_ACCMODE = 3;
  private static final int O_CREAT = 0100;
  private static final int O_TRUNC = 01000;
  /** The generic value (x86, arm, riscv, s390, powerpc); alpha, parisc and sparc differ. */
  private static final int O_PATH = 010000000;
  private static final long AT_FDCWD = 0xffffff9cL;

  /** One PATH record, decoded. */
  private record Item(int index, byte[] name, String nametype, OptionalLong inode, Optional<String> dev, OptionalInt mode) {}

  private final Tables tables;

  Classifier(Tables tables) {
    this.tables = tables;
  }

  /**
   * Adds the file events of {@code e}, labelled with {@code phase}, to {@code out}.
   *
   * @throws Record.BadValue when a value is not of its field's form
   */
  void classify(AuditEvent e, Phase phase, List<FileEvent> out) {
    Record sc = e.first("SYSCALL");
    if (sc == null) {
      return;
    }
    String archHex = sc.text("arch");
    long nr = sc.number("syscall", 10, -1);
    if (archHex == null || nr < 0) {
      return;
    }
    String syscall = tables.syscallName(archHex, (int) nr);
    ProcessInfo proc = process(sc);
    Instant time = e.time();
    ProcessTable processes = e.boot.processes;
    processes.seen(proc, e.serial, time);
    if (processes.lacksArgv(proc.pid())) {
      processes.executed(proc.pid(), Arguments.proctitle(e));
    }
    Family family = FAMILIES.get(syscall);
    if (family == null) {
      return;
    }
    boolean success = "yes".equals(sc.text("success"));
    long exit = sc.number("exit", 10, 0);
    if (family == Family.FORK) {
      if (success && exit > 0) {
        processes.forked(proc, (int) exit, e.serial, time);
      }
      return;
    }
    Context c = new Context(e, phase, sc, syscall, tables.archName(archHex), proc, time, success, exit);
    List<Item> items = items(e);
    switch (family) {
      case OPEN -> open(c, items, out);
      case TRUNCATE -> each(c, items, Op.WRITE, out);
      case EXEC -> exec(c, items, out);
      case CREATE -> create(c, items, out);
      case DELETE -> delete(c, items, out);
      case RENAME -> rename(c, items, out);
      case ATTR -> each(c, items, Op.ATTR, out);
      default -> throw new AssertionError(family);
    }
  }

  private final class Context {
    final AuditEvent event;
    final Phase phase;
    final String syscall;
    final String arch;
    final ProcessInfo proc;
    final Instant time;
    final boolean success;
    final Optional<String> errno;
    final Optional<String> key;
    final byte[] cwd;
    final boolean cwdRelativeOnly;
    final Record sc;

    Context(
        AuditEvent e, Phase phase, Record sc, String syscall, String arch, ProcessInfo proc, Instant time,
        boolean success, long exit) {
      this.event = e;
      this.phase = phase;
      this.sc = sc;
      this.syscall = syscall;
      this.arch = arch;
      this.proc = proc;
      this.time = time;
      this.success = success;
      this.errno = !success && exit < 0 ? Optional.of(tables.errnoName((int) -exit)) : Optional.empty();
      this.key = Optional.ofNullable(sc.name("key"));
      Record cwdRecord = e.first("CWD");
      this.cwd = cwdRecord == null ? null : cwdRecord.bytes("cwd");
      boolean fdcwd = true;
      for (int arg : DIRFD_ARGS.getOrDefault(syscall, new int[0])) {
        long fd = sc.number("a" + arg, 16, AT_FDCWD);
        fdcwd &= (fd & 0xffffffffL) == AT_FDCWD;
      }
      this.cwdRelativeOnly = fdcwd;
    }

    FileEvent event(Op op, Item item, Optional<String> oldPath) {
      byte[] name = item.name;
      boolean resolved = true;
      if (name.length > 0 && name[0] != '/') {
        if (cwdRelativeOnly && cwd != null) {
          name = join(cwd, name);
        } else {
          resolved = false;
        }
      }
      return new FileEvent(
          event.boot.node,
          event.boot.boot,
          event.serial,
          time,
          phase,
          op,
          Bytes.escape(name),
          oldPath,
          resolved,
          success,
          errno,
          syscall,
          arch,
          proc,
          key,
          item.inode,
          item.dev,
          item.mode);
    }

    String path(Item item) {
      return event(Op.READ, item, Optional.empty()).path();
    }
  }

  private void open(Context c, List<Item> items, List<FileEvent> out) {
    long flags;
    switch (c.syscall) {
      case "open" -> flags = c.sc.number("a1", 16, 0);
      case "creat" -> flags = 1 | O_CREAT | O_TRUNC;
      case "openat2" -> {
        Record how = c.event.first("OPENAT2");
        flags = how == null ? 0 : how.number("oflag", 8, 0);
      }
      default -> flags = c.sc.number("a2", 16, 0);
    }
    if ((flags & O_PATH) != 0) {
      // a path lookup (systemd and udev open each component so): nothing is read or written
      return;
    }
    boolean writes = (flags & O_ACCMODE) != 0 || (flags & O_TRUNC) != 0;
    Op access = writes ? Op.WRITE : Op.READ;
    for (Item it : items) {
      if (it.nametype.equals("PARENT")) {
        continue;
      }
      if (it.nametype.equals("CREATE")) {
        out.add(c.event(Op.CREATE, it, Optional.empty()));
        if (writes) {
          out.add(c.event(Op.WRITE, it, Optional.empty()));
        }
      } else {
        out.add(c.event(access, it, Optional.empty()));
      }
    }
  }

  private void exec(Context c, List<Item> items, List<FileEvent> out) {
    List<Item> files = new ArrayList<>();
    for (Item it : items) {
      if (!it.nametype.equals("PARENT")) {
        files.add(it);
      }
    }
    for (int i = 0; i < files.size(); i++) {
      Item it = files.get(i);
      boolean loader = i > 0 && i == files.size() - 1 && isLoader(it.name);
      out.add(c.event(loader ? Op.READ : Op.EXEC, it, Optional.empty()));
    }
    if (c.success) {
      c.event.boot.processes.executed(c.proc.pid(), Arguments.argv(c.event));
    }
  }

  private void create(Context c, List<Item> items, List<FileEvent> out) {
    Optional<String> source = Optional.empty();
    if (c.syscall.startsWith("link")) {
      for (Item it : items) {
        if (it.nametype.equals("NORMAL")) {
          source = Optional.of(c.path(it));
          break;
        }
      }
    }
    if (!byType(c, items, "CREATE", Op.CREATE, source, out) && !c.success) {
      eachNonParent(c, items, Op.CREATE, out);
    }
  }

  private void delete(Context c, List<Item> items, List<FileEvent> out) {
    if (!byType(c, items, "DELETE", Op.DELETE, Optional.empty(), out) && !c.success) {
      eachNonParent(c, items, Op.DELETE, out);
    }
  }

  private void rename(Context c, List<Item> items, List<FileEvent> out) {
    Item from = null;
    Item to = null;
    List<Item> replaced = new ArrayList<>();
    for (Item it : items) {
      switch (it.nametype) {
        case "DELETE" -> {
          if (from == null) {
            from = it;
          } else {
            replaced.add(it);
          }
        }
        case "CREATE" -> to = it;
        default -> {}
      }
    }
    if (from == null || to == null) {
      List<Item> named = new ArrayList<>();
      for (Item it : items) {
        if (!it.nametype.equals("PARENT")) {
          named.add(it);
        }
      }
      if (named.size() < 2) {
        return;
      }
      from = named.get(0);
      to = named.get(1);
    }
    out.add(c.event(Op.RENAME, to, Optional.of(c.path(from))));
    for (Item it : replaced) {
      out.add(c.event(Op.DELETE, it, Optional.empty()));
    }
  }

  private static boolean byType(Context c, List<Item> items, String nametype, Op op, Optional<String> old, List<FileEvent> out) {
    boolean any = false;
    for (Item it : items) {
      if (it.nametype.equals(nametype)) {
        out.add(c.event(op, it, old));
        any = true;
      }
    }
    return any;
  }

  private static void each(Context c, List<Item> items, Op op, List<FileEvent> out) {
    eachNonParent(c, items, op, out);
  }

  private static void eachNonParent(Context c, List<Item> items, Op op, List<FileEvent> out) {
    for (Item it : items) {
      if (!it.nametype.equals("PARENT")) {
        out.add(c.event(op, it, Optional.empty()));
      }
    }
  }

  private static List<Item> items(AuditEvent e) {
    List<Item> items = new ArrayList<>(4);
    for (Record r : e.records) {
      if (!r.isType("PATH")) {
        continue;
      }
      byte[] name = r.bytes("name");
      if (name == null) {
        continue; // name=(null): an fd-based item with no name to report
      }
      long inode = r.number("inode", 10, -1);
      String dev = r.text("dev");
      long mode = r.number("mode", 8, -1);
      String nametype = r.text("nametype");
      if (nametype == null) {
        nametype = r.text("objtype"); // kernels before 4.x (RHEL 7's 3.10) spell it so
      }
      Item previous = items.isEmpty() ? null : items.get(items.size() - 1);
      if (previous != null
          && java.util.Arrays.equals(previous.name, name)
          && previous.inode.equals(inode < 0 ? OptionalLong.empty() : OptionalLong.of(inode))
          && previous.nametype.equals(nametype == null ? "UNKNOWN" : nametype)) {
        continue; // kernel 6.1 names a script twice in its execve (open, then binfmt_script)
      }
      items.add(
          new Item(
              (int) r.number("item", 10, items.size()),
              name,
              nametype == null ? "UNKNOWN" : nametype,
              inode < 0 ? OptionalLong.empty() : OptionalLong.of(inode),
              Optional.ofNullable(dev),
              mode < 0 ? OptionalInt.empty() : OptionalInt.of((int) mode)));
    }
    for (int i = 1; i < items.size(); i++) {
      if (items.get(i - 1).index > items.get(i).index) {
        items.sort(Comparator.comparingInt(Item::index));
        break;
      }
    }
    return items;
  }

  private static ProcessInfo process(Record sc) {
    String comm = sc.name("comm");
    String exe = sc.name("exe");
    return new ProcessInfo(
        (int) sc.number("pid", 10, -1),
        (int) sc.number("ppid", 10, -1),
        comm == null ? "" : comm,
        exe == null ? "" : exe,
        id(sc.number("uid", 10, -1)),
        id(sc.number("auid", 10, -1)));
  }

  private static long id(long v) {
    return v == 4294967295L ? -1 : v;
  }

  private static boolean isLoader(byte[] name) {
    int slash = name.length - 1;
    while (slash >= 0 && name[slash] != '/') {
      slash--;
    }
    String base = new String(name, slash + 1, name.length - slash - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
    // ld-linux*.so.N, ld64.so.N, ld-musl-*.so.1, klibc-HASH.so: a shared object, never a script
    return base.startsWith("ld-") || base.endsWith(".so") || base.contains(".so.");
  }

  private static byte[] join(byte[] dir, byte[] name) {
    int skip = 0;
    while (name.length - skip >= 2 && name[skip] == '.' && name[skip + 1] == '/') {
      skip += 2;
    }
    boolean slash = dir.length > 0 && dir[dir.length - 1] == '/';
    int n = name.length - skip;
    if (n == 1 && name[skip] == '.') {
      return dir.clone();
    }
    byte[] out = new byte[dir.length + (slash ? 0 : 1) + n];
    System.arraycopy(dir, 0, out, 0, dir.length);
    if (!slash) {
      out[dir.length] = '/';
    }
    System.arraycopy(name, skip, out, out.length - n, n);
    return out;
  }
}
