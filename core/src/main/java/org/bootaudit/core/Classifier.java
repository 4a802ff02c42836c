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
    FORK,
    MOUNT,
    UMOUNT
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
        "mkdir",
        "mkdirat",
        "mknod",
        "mknodat",
        "link",
        "linkat",
        "symlink",
        "symlinkat");
    family(Family.DELETE, "unlink", "unlinkat", "rmdir");
    family(Family.RENAME, "rename", "renameat", "renameat2");
    family(
        Family.ATTR,
        "chmod",
        "fchmodat",
        "fchmodat2",
        "chown",
        "lchown",
        "fchownat",
        "chown32",
        "lchown32",
        "setxattr",
        "lsetxattr",
        "removexattr",
        "lremovexattr",
        "utime",
        "utimes",
        "utimensat",
        "futimesat");
    family(Family.FORK, "clone", "clone3", "fork", "vfork");
    family(Family.MOUNT, "mount");
    family(Family.UMOUNT, "umount", "umount2", "oldumount");
    for (String s : new String[] {
      "openat",
      "openat2",
      "mkdirat",
      "mknodat",
      "unlinkat",
      "fchmodat",
      "fchmodat2",
      "fchownat",
      "execveat",
      "utimensat",
      "futimesat",
      "open_by_handle_at"
    }) {
      DIRFD_ARGS.put(s, new int[] {0});
    }
    DIRFD_ARGS.put("renameat", new int[] {0, 2});
    DIRFD_ARGS.put("renameat2", new int[] {0, 2});
    DIRFD_ARGS.put("linkat", new int[] {0, 2});
    DIRFD_ARGS.put("symlinkat", new int[] {1});
  }

  /**
   * io_uring operations (IORING_OP_*, numbered as in linux/io_uring.h) that act on names, and the
   * system call each does the work of.
   */
  private static final Map<Integer, String[]> URING_OPS = Map.of(
      18, new String[] {"IORING_OP_OPENAT", "openat"},
      28, new String[] {"IORING_OP_OPENAT2", "openat2"},
      35, new String[] {"IORING_OP_RENAMEAT", "renameat2"},
      36, new String[] {"IORING_OP_UNLINKAT", "unlinkat"},
      37, new String[] {"IORING_OP_MKDIRAT", "mkdirat"},
      38, new String[] {"IORING_OP_SYMLINKAT", "symlinkat"},
      39, new String[] {"IORING_OP_LINKAT", "linkat"});

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
  private static final int S_IFMT = 0170000;
  private static final int S_IFLNK = 0120000;
  /** The kernel joins the keys of a rule with several {@code -k} with this byte. */
  private static final byte KEY_SEPARATOR = 0x01;

  /** One PATH record, decoded; an empty name when the record had none (io_uring items). */
  private record Item(
      int index,
      byte[] name,
      String nametype,
      OptionalLong inode,
      Optional<String> dev,
      OptionalInt mode) {}

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
      Record uring = e.first("URINGOP");
      if (uring != null) {
        uring(e, phase, uring, out);
      }
      return;
    }
    checkSyscallRecord(sc);
    String archHex = sc.text("arch");
    if (!isArch(archHex)) {
      throw sc.badValue(sc.find("arch"), "expected a hex number of at most 8 digits for 'arch'");
    }
    int nr = (int) sc.checked("syscall", 10, 0, Integer.MAX_VALUE, -1);
    String syscall = tables.syscallName(archHex, nr);
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
    boolean success = success(sc);
    long exit = sc.checked("exit", 10, Long.MIN_VALUE + 1, Long.MAX_VALUE, 0);
    if (family == Family.FORK) {
      if (success && exit > 0 && exit <= Integer.MAX_VALUE) {
        processes.forked(proc, (int) exit, e.serial, time);
      }
      return;
    }
    Context c = new Context(
        e, phase, sc, syscall, syscall, tables.archName(archHex), proc, time, success, exit);
    dispatch(c, family, items(e, false), out);
  }

  /**
   * Refuses a SYSCALL record that no kernel writes: one cut short (a torn or truncated line keeps
   * its header but loses the fields after the cut), or with values out of their range. The kernel
   * always writes these fields; {@code success} and {@code exit} only when the call returned.
   */
  private static void checkSyscallRecord(Record sc) {
    sc.require("arch"); // the first two fields: found at once
    sc.require("syscall");
    // a whole record has 22 fields or more; looking each up costs, so only short ones are searched
    if (sc.fieldCount() < MIN_SYSCALL_FIELDS) {
      for (String key : SYSCALL_FIELDS) {
        sc.require(key);
      }
    }
  }

  private static boolean isArch(String hex) {
    if (hex.isEmpty() || hex.length() > 8) {
      return false;
    }
    for (int i = 0; i < hex.length(); i++) {
      if (Character.digit(hex.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** arch syscall a0-a3 items ppid pid auid uid gid euid suid fsuid egid sgid fsgid tty ses comm exe key. */
  private static final int MIN_SYSCALL_FIELDS = 22;

  /** Fields every kernel SYSCALL record has, in the order the kernel writes them. */
  private static final String[] SYSCALL_FIELDS = {"arch", "syscall", "items", "ppid", "pid", "comm"
  };

  /** {@code success=yes} or {@code no}; absent (a call that never returned, exit_group) is no. */
  private static boolean success(Record r) {
    int i = r.find("success");
    if (i < 0) {
      return false;
    }
    String v = r.textAt(i);
    if (!v.equals("yes") && !v.equals("no")) {
      throw r.badValue(i, "expected 'yes' or 'no' for 'success'");
    }
    return v.equals("yes");
  }

  private void dispatch(Context c, Family family, List<Item> items, List<FileEvent> out) {
    switch (family) {
      case OPEN -> open(c, items, out);
      case TRUNCATE -> each(c, items, Op.WRITE, out);
      case EXEC -> exec(c, items, out);
      case CREATE -> create(c, items, out);
      case DELETE -> delete(c, items, out);
      case RENAME -> rename(c, items, out);
      case ATTR -> each(c, items, Op.ATTR, out);
      case MOUNT -> mount(c, items, out);
      case UMOUNT -> each(c, items, Op.UMOUNT, out);
      default -> throw new AssertionError(family);
    }
  }

  /**
   * An io_uring request, audited in an io-wq worker as a URINGOP record: like its system call,
   * but the record has no arch, flags, comm or exe, and its PATH items no names.
   */
  private void uring(AuditEvent e, Phase phase, Record u, List<FileEvent> out) {
    String[] op = URING_OPS.get((int) u.checked("uring_op", 10, 0, Integer.MAX_VALUE, -1));
    if (op == null) {
      return;
    }
    ProcessInfo proc = e.boot.processes.complete(process(u));
    boolean success = success(u);
    long exit = u.checked("exit", 10, Long.MIN_VALUE + 1, Long.MAX_VALUE, 0);
    Context c = new Context(e, phase, u, op[0], op[1], "", proc, e.time(), success, exit);
    dispatch(c, FAMILIES.get(op[1]), items(e, true), out);
  }

  private void mount(Context c, List<Item> items, List<FileEvent> out) {
    List<Item> named = new ArrayList<>();
    for (Item it : items) {
      if (!it.nametype.equals("PARENT")) {
        named.add(it);
      }
    }
    if (!named.isEmpty()) {
      Optional<String> source =
          named.size() > 1 ? Optional.of(c.path(named.get(1))) : Optional.empty();
      out.add(c.event(Op.MOUNT, named.get(0), source));
    }
  }

  private final class Context {
    final AuditEvent event;
    final Phase phase;
    /** The name reported: the system call's, or the io_uring operation's. */
    final String label;
    /** The system call whose rules apply (for io_uring, the one the operation does the work of). */
    final String syscall;

    final String arch;
    final ProcessInfo proc;
    final Instant time;
    final boolean success;
    final Optional<String> errno;
    final List<String> keys;
    final byte[] cwd;
    final boolean cwdRelativeOnly;
    final Record sc;

    Context(
        AuditEvent e,
        Phase phase,
        Record sc,
        String label,
        String syscall,
        String arch,
        ProcessInfo proc,
        Instant time,
        boolean success,
        long exit) {
      this.event = e;
      this.phase = phase;
      this.sc = sc;
      this.label = label;
      this.syscall = syscall;
      this.arch = arch;
      this.proc = proc;
      this.time = time;
      this.success = success;
      this.errno =
          !success && exit < 0 ? Optional.of(tables.errnoName((int) -exit)) : Optional.empty();
      this.keys = keys(sc.bytes("key"));
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
      return event(op, item, oldPath, Optional.empty());
    }

    FileEvent event(Op op, Item item, Optional<String> oldPath, Optional<String> target) {
      byte[] name = item.name;
      boolean resolved = name.length > 0;
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
          target,
          resolved,
          success,
          errno,
          label,
          arch,
          proc,
          keys,
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

  /**
   * The program, its interpreter (a script's) and ld.so. A symbolic link run as a program is one
   * exec of the name given: kernels record the file it led to under the link's name, and some
   * (6.1) the link itself (mode 0120777) as one more item of the same name, dropped here. The
   * target's path is the new exe, when the program is no script.
   */
  private void exec(Context c, List<Item> items, List<FileEvent> out) {
    List<Item> files = new ArrayList<>();
    for (Item it : items) {
      if (!it.nametype.equals("PARENT") && !(isSymlink(it) && namedBefore(files, it))) {
        files.add(it);
      }
    }
    for (int i = 0; i < files.size(); i++) {
      Item it = files.get(i);
      boolean loader = i > 0 && i == files.size() - 1 && isLoader(it.name);
      Optional<String> target = Optional.empty();
      if (i == 0 && c.success && runsItself(files)) {
        target = Optional.of(c.proc.exe()).filter(x -> x.startsWith("/") && !x.equals(c.path(it)));
      }
      out.add(c.event(loader ? Op.READ : Op.EXEC, it, Optional.empty(), target));
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

  private static boolean byType(
      Context c,
      List<Item> items,
      String nametype,
      Op op,
      Optional<String> old,
      List<FileEvent> out) {
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

  private static boolean namedBefore(List<Item> files, Item it) {
    for (Item f : files) {
      if (java.util.Arrays.equals(f.name, it.name)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the first item is the program the process now runs: no interpreter item follows. */
  private static boolean runsItself(List<Item> files) {
    for (int i = 1; i < files.size(); i++) {
      boolean loader = i == files.size() - 1 && isLoader(files.get(i).name);
      if (!loader && files.get(i).inode.isPresent()) {
        return false; // a script's interpreter; items without an inode are failed look-ups
      }
    }
    return true;
  }

  private static boolean isSymlink(Item it) {
    return it.mode.isPresent() && (it.mode.getAsInt() & S_IFMT) == S_IFLNK;
  }

  /** The rule keys of a {@code key=} value: none for {@code (null)}, split at 0x01. */
  private static List<String> keys(byte[] key) {
    if (key == null) {
      return List.of();
    }
    List<String> keys = new ArrayList<>(1);
    int from = 0;
    for (int i = 0; i <= key.length; i++) {
      if (i == key.length || key[i] == KEY_SEPARATOR) {
        if (i > from) {
          keys.add(Bytes.escape(key, from, i - from));
        }
        from = i + 1;
      }
    }
    return keys;
  }

  /** The PATH items; those without a name are left out unless {@code unnamed} (io_uring). */
  private static List<Item> items(AuditEvent e, boolean unnamed) {
    List<Item> items = new ArrayList<>(4);
    for (Record r : e.records) {
      if (!r.isType("PATH")) {
        continue;
      }
      byte[] name = r.bytes("name");
      if (name == null && unnamed) {
        name = new byte[0];
      } else if (name == null) {
        continue; // name=(null): an fd-based item with no name to report
      }
      long inode = r.checked("inode", 10, 0, Long.MAX_VALUE, -1);
      String dev = r.text("dev");
      long mode = r.checked("mode", 8, 0, Integer.MAX_VALUE, -1);
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
      items.add(new Item(
          (int) r.checked("item", 10, 0, Integer.MAX_VALUE, items.size()),
          name,
          nametype == null ? "UNKNOWN" : nametype,
          inode < 0 ? OptionalLong.empty() : OptionalLong.of(inode),
          Optional.ofNullable(dev),
          mode < 0 ? OptionalInt.empty() : OptionalInt.of((int) mode)));
    }
    if (unnamed) {
      // io_uring's creating calls record the new name twice: before (no inode) and after
      items.removeIf(a -> a.name.length == 0
          && a.inode.isEmpty()
          && items.stream()
              .anyMatch(b -> b != a
                  && b.name.length == 0
                  && b.inode.isPresent()
                  && b.nametype.equals(a.nametype)));
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
        (int) sc.checked("pid", 10, 0, Integer.MAX_VALUE, -1),
        (int) sc.checked("ppid", 10, 0, Integer.MAX_VALUE, -1),
        comm == null ? "" : comm,
        exe == null ? "" : exe,
        id(sc.checked("uid", 10, 0, 4294967295L, -1)),
        id(sc.checked("auid", 10, 0, 4294967295L, -1)),
        enriched(sc, "UID"),
        enriched(sc, "AUID"));
  }

  /** A name from the ENRICHED tail (after 0x1d), which the parser splits into fields as well. */
  private static Optional<String> enriched(Record sc, String key) {
    int i = sc.findEnriched(key);
    String name = i < 0 ? null : sc.textAt(i);
    // auditd's form for an id it could not name: no name
    return name == null || name.isEmpty() || name.startsWith("unknown(")
        ? Optional.empty()
        : Optional.of(name);
  }

  private static long id(long v) {
    return v == 4294967295L ? -1 : v;
  }

  private static boolean isLoader(byte[] name) {
    int slash = name.length - 1;
    while (slash >= 0 && name[slash] != '/') {
      slash--;
    }
    String base = new String(
        name, slash + 1, name.length - slash - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
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
