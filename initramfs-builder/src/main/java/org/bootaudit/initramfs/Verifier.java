package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.bootaudit.rules.AuditRules;
import org.bootaudit.rules.Finding;
import org.bootaudit.rules.Stage;

/** The checks behind {@link Injector#verify}. */
final class Verifier {
  /** Where a unit may be: injection's directory first, then the image's unit directories. */
  private static final List<String> UNIT_DIRS =
      List.of(Layout.UNIT_DIR, "usr/lib/systemd/system", "lib/systemd/system");
  /** Where the image's own auditctl may be (dracut's module: the first; initramfs-tools: the second). */
  private static final List<String> OWN_AUDITCTL =
      List.of(Layout.OWN_AUDITCTL, Layout.OWN_AUDITCTL_TOOLS);

  private final Image image;
  private final ImagePaths paths;
  private final Reader reader;
  private final List<Verification.Check> checks = new ArrayList<>();

  Verifier(Image image, ImagePaths paths, Reader reader) {
    this.image = image;
    this.paths = paths;
    this.reader = reader;
  }

  Verification run() throws IOException {
    String dir = Layout.DIR;
    String initTopPath = paths.canonical("scripts/init-top") + "/bootaudit";
    String dracutPath = paths.canonical(Layout.DRACUT_HOOKS) + "/" + Layout.DRACUT_HOOK;
    // injection adds the unit to etc/systemd/system; dracut's module installs it where units are
    List<String> unitDirs = UNIT_DIRS.stream().map(paths::canonical).distinct().toList();
    List<Entry> wanted = new ArrayList<>(paths.under(dir));
    Optional<String> journald = Injector.journaldDropIn(paths);
    for (String p : List.of("init", initTopPath, Layout.ORDER, dracutPath)) {
      paths.get(p).ifPresent(wanted::add);
    }
    journald.flatMap(paths::get).ifPresent(wanted::add);
    for (String d : unitDirs) {
      paths.get(d + "/" + Layout.UNIT).ifPresent(wanted::add);
    }
    boolean injected = paths.get(dir).isPresent();
    if (!injected) {
      // a hook the image's generator installed (dracut module, initramfs-tools hook) runs the
      // image's own auditctl
      ownAuditctl().ifPresent(p -> wanted.add(paths.dataHolder(paths.resolve(p).orElseThrow())));
      paths
          .resolve(Layout.OWN_RULES)
          .filter(e -> e.kind() == Entry.Kind.FILE)
          .map(paths::dataHolder)
          .ifPresent(wanted::add);
    }
    Map<Entry, byte[]> data = new IdentityHashMap<>(read(wanted, Map.of()));
    String wrapper = text(data, paths.get("init"));
    String initTop = text(data, paths.get(initTopPath));
    String dracut = text(data, paths.get(dracutPath));
    String unitPath = unitDirs.get(0) + "/" + Layout.UNIT;
    String unit = "";
    for (String d : unitDirs) {
      String t = text(data, paths.get(d + "/" + Layout.UNIT));
      if (t.contains(Layout.UNIT_MARKER)) {
        unitPath = d + "/" + Layout.UNIT;
        unit = t;
        break;
      }
    }
    String script;
    String found;
    boolean systemd = false;
    boolean wrapped = wrapper.contains(Layout.WRAPPER_MARKER);
    if (wrapped) {
      script = wrapper;
      found = "/init is the bootaudit wrapper";
    } else if (initTop.contains(Layout.INIT_TOP_MARKER)
        && text(data, paths.get(Layout.ORDER)).startsWith("/scripts/init-top/bootaudit ")) {
      script = initTop;
      found = "/scripts/init-top/bootaudit runs first from ORDER (initramfs-tools)";
    } else if (dracut.contains(Layout.DRACUT_MARKER)) {
      script = dracut;
      found = "/" + dracutPath + " is the first cmdline hook (dracut)";
    } else if (unit.contains(Layout.UNIT_MARKER)) {
      script = null;
      systemd = true;
      found = "/" + unitPath + " is a unit (systemd)";
    } else {
      script = null;
      found = null;
    }
    check(
        "hook",
        found != null,
        found != null
            ? found
            : "no bootaudit hook (wrapper /init, init-top script, dracut cmdline hook or systemd unit): this image is not injected");
    if (systemd) {
      String target = unitPath;
      Optional<String> link = unitDirs.stream()
          .map(d -> d + "/" + Layout.UNIT_WANTS)
          .filter(w -> paths.get(w).filter(e -> e.kind() == Entry.Kind.SYMLINK).isPresent()
              && paths.resolve(w).map(e -> e.path().equals(target)).orElse(false))
          .findFirst();
      boolean wants = link.isPresent();
      String wantsPath = link.orElse(unitDirs.get(0) + "/" + Layout.UNIT_WANTS);
      boolean init = Injector.systemdInit(paths);
      check(
          "unit",
          wants && init,
          !init
              ? "/init is not systemd: the unit would never run"
              : wants
                  ? "/" + wantsPath + " links to it, so sysinit.target starts it"
                  : "/" + wantsPath
                      + " is missing or does not link to the unit: nothing starts it");
    } else {
      check(
          "sh -n",
          script != null && shParses(script),
          script != null ? "the hook parses with sh -n" : "no hook to parse");
    }
    if (wrapped) {
      Optional<Entry> orig = paths.get("init.orig");
      boolean origOk = orig.isPresent()
          && (orig.get().kind() != Entry.Kind.SYMLINK
              || paths.resolve("init.orig").isPresent());
      check(
          "init.orig",
          origOk,
          orig.isEmpty()
              ? "/init.orig is missing"
              : origOk
                  ? "/init.orig is present"
                  : "/init.orig -> " + orig.get().linkTarget() + " points to nothing in the image");
    }
    if (!systemd) {
      check(
          "/bin/sh",
          paths.resolve("bin/sh").isPresent(),
          paths.resolve("bin/sh").isPresent()
              ? "/bin/sh is present"
              : "/bin/sh is missing: the hook cannot run");
    }
    if (journald.isPresent()) {
      String dropIn = journald.get();
      boolean kept = text(data, paths.get(dropIn)).contains("\nAudit=yes");
      check(
          "journald",
          kept,
          kept
              ? "/" + dropIn + " keeps journald from switching auditing off"
              : "/" + dropIn
                  + " is missing: systemd-journald (Audit=no on Debian) switches auditing off when it starts");
    }
    if (!injected && found != null && !wrapped) {
      own(data);
      return new Verification(checks);
    }
    Optional<Entry> ctl = paths.get(dir + "/auditctl");
    if (ctl.isEmpty()) {
      check("auditctl", false, "/" + dir + "/auditctl is missing");
    } else {
      Optional<Elf> elf = elf(data.get(ctl.get()), "/" + dir + "/auditctl");
      if (elf.isPresent()) {
        libraries(elf.get(), data);
      }
    }
    Optional<Entry> rules = paths.get(dir + "/audit.rules");
    if (rules.isEmpty()) {
      check("rules", false, "/" + dir + "/audit.rules is missing");
    } else {
      lint(new String(data.get(rules.get()), StandardCharsets.UTF_8), "/" + dir + "/audit.rules");
    }
    return new Verification(checks);
  }

  /** The first of {@link #OWN_AUDITCTL} that is a file in the image (through symlinks). */
  private Optional<String> ownAuditctl() {
    return OWN_AUDITCTL.stream()
        .filter(p -> paths.resolve(p).filter(e -> e.kind() == Entry.Kind.FILE).isPresent())
        .findFirst();
  }

  /**
   * An image without {@code /bootaudit} whose hook the generator installed (dracut's module):
   * the image's own auditctl, its loader and DT_NEEDED closure in the image's library
   * directories, and {@link Layout#OWN_RULES}.
   */
  private void own(Map<Entry, byte[]> data) throws IOException {
    Optional<String> ctl = ownAuditctl();
    if (ctl.isEmpty()) {
      check(
          "auditctl",
          false,
          "no /" + Layout.DIR + " and no "
              + OWN_AUDITCTL.stream()
                  .map(p -> "/" + p)
                  .collect(java.util.stream.Collectors.joining(" or "))
              + ": the hook has no auditctl to run");
    } else {
      String path = ctl.get();
      Entry e = paths.dataHolder(paths.resolve(path).orElseThrow());
      Optional<Elf> parsed = elf(data.get(e), "/" + path);
      if (parsed.isPresent()) {
        ownClosure(parsed.get(), path, data);
      }
    }
    Optional<Entry> rules =
        paths.resolve(Layout.OWN_RULES).filter(e -> e.kind() == Entry.Kind.FILE);
    if (rules.isEmpty()) {
      check("rules", false, "/" + Layout.OWN_RULES + " is missing");
    } else {
      lint(
          new String(data.get(paths.dataHolder(rules.get())), StandardCharsets.UTF_8),
          "/" + Layout.OWN_RULES);
    }
  }

  /** The image's own auditctl: its architecture, loader and libraries. */
  private void ownClosure(Elf elf, String path, Map<Entry, byte[]> data) throws IOException {
    check(
        "auditctl",
        true,
        "/" + path + " is " + elf.arch() + " (the image's own; no /" + Layout.DIR + ")");
    if (elf.interpreter().isPresent()) {
      String loader = elf.interpreter().get();
      boolean present =
          paths.resolve(loader).filter(x -> x.kind() == Entry.Kind.FILE).isPresent();
      check("loader", present, loader + (present ? " is present" : " is missing"));
    }
    ownLibraries(elf, path, data);
  }

  /**
   * The DT_NEEDED closure of the image's own auditctl, looked up as ld.so would in the image:
   * RUNPATH/RPATH ({@code $ORIGIN} the requirer's directory), then the multiarch and default
   * directories, through the image's symlinks. Read level by level (one pass over the image each).
   */
  private void ownLibraries(Elf exe, String exePath, Map<Entry, byte[]> data) throws IOException {
    List<String> missing = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> dirs = new TreeSet<>();
    List<Need> level = List.of(new Need(exePath, exe));
    while (!level.isEmpty()) {
      Map<String, Entry> next = new LinkedHashMap<>();
      for (Need n : level) {
        for (String needed : n.elf().needed()) {
          if (!seen.add(needed)) {
            continue;
          }
          Optional<Entry> lib = locate(needed, n, exe);
          if (lib.isEmpty()) {
            missing.add(needed);
          } else {
            next.put(needed, lib.get());
          }
        }
      }
      List<Entry> unread = next.values().stream()
          .map(paths::dataHolder)
          .filter(e -> !data.containsKey(e))
          .toList();
      if (!unread.isEmpty()) {
        data.putAll(read(unread, data));
      }
      List<Need> deeper = new ArrayList<>();
      for (Map.Entry<String, Entry> lib : next.entrySet()) {
        String path = lib.getValue().path();
        Elf elf;
        try {
          elf = Elf.parse(data.get(paths.dataHolder(lib.getValue())), "/" + path);
        } catch (IOException notElf) {
          missing.add(lib.getKey() + " (" + notElf.getMessage() + ")");
          continue;
        }
        if (elf.elfClass() != exe.elfClass() || elf.machine() != exe.machine()) {
          missing.add(lib.getKey() + " (/" + path + " is " + elf.arch() + ")");
          continue;
        }
        dirs.add("/" + path.substring(0, Math.max(0, path.lastIndexOf('/'))));
        deeper.add(new Need(path, elf));
      }
      level = deeper;
    }
    check(
        "libraries",
        missing.isEmpty(),
        missing.isEmpty()
            ? seen.size() + " libraries present in " + String.join(", ", dirs)
            : "missing from the image's library directories: " + String.join(", ", missing));
  }

  /**
   * The ELF headers of an auditctl in the image; when they are damaged, the auditctl check fails
   * with why (the image is the kernel's to accept; running that auditctl would fail).
   */
  private Optional<Elf> elf(byte[] file, String name) {
    try {
      return Optional.of(Elf.parse(file, name));
    } catch (IOException notElf) {
      check("auditctl", false, notElf.getMessage() + ": it cannot run");
      return Optional.empty();
    }
  }

  /** Reads {@code entries} whole, the reader's cap counting what {@code held} holds already. */
  private Map<Entry, byte[]> read(List<Entry> entries, Map<Entry, byte[]> held) throws IOException {
    long bytes = held.values().stream().mapToLong(b -> b.length).sum();
    return reader.readData(image, entries, Integer.MAX_VALUE - 8, bytes);
  }

  /** A file of the closure: its path in the image (symlinks followed) and its ELF headers. */
  private record Need(String path, Elf elf) {}

  /** Where ld.so would find {@code name} for {@code from} in the image, if anywhere. */
  private Optional<Entry> locate(String name, Need from, Elf exe) {
    List<String> dirs = new ArrayList<>();
    String origin = "/" + from.path().substring(0, Math.max(0, from.path().lastIndexOf('/')));
    for (String r : from.elf().runpath()) {
      dirs.add(r.replace("$ORIGIN", origin).replace("${ORIGIN}", origin));
    }
    dirs.addAll(HostLibraries.defaultDirs(exe.machine()));
    return dirs.stream()
        .map(d -> paths.resolve(d + "/" + name).filter(e -> e.kind() == Entry.Kind.FILE))
        .flatMap(Optional::stream)
        .findFirst();
  }

  private String text(Map<Entry, byte[]> data, Optional<Entry> e) {
    return e.filter(x -> x.kind() == Entry.Kind.FILE)
        .map(x -> data.get(x))
        .map(b -> new String(b, StandardCharsets.ISO_8859_1))
        .orElse("");
  }

  private void libraries(Elf auditctl, Map<Entry, byte[]> data) throws IOException {
    String lib = Layout.DIR + "/lib/";
    check("auditctl", true, "/" + Layout.DIR + "/auditctl is " + auditctl.arch());
    if (auditctl.interpreter().isPresent()) {
      String name = Path.of(auditctl.interpreter().get()).getFileName().toString();
      check(
          "loader",
          paths.get(lib + name).isPresent(),
          "/" + lib + name + (paths.get(lib + name).isPresent() ? " is present" : " is missing"));
    }
    List<String> missing = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Deque<Elf> todo = new ArrayDeque<>(List.of(auditctl));
    while (!todo.isEmpty()) {
      for (String needed : todo.poll().needed()) {
        if (!seen.add(needed)) {
          continue;
        }
        Optional<Entry> e = paths.get(lib + needed);
        if (e.isEmpty()) {
          missing.add(needed);
        } else {
          try {
            todo.add(Elf.parse(data.get(e.get()), "/" + lib + needed));
          } catch (IOException notElf) {
            missing.add(needed + " (" + notElf.getMessage() + ")");
          }
        }
      }
    }
    check(
        "libraries",
        missing.isEmpty(),
        missing.isEmpty()
            ? seen.size() + " libraries present in /" + lib
            : "missing from /" + lib + ": " + String.join(", ", missing));
  }

  /** The rules module's early-boot lint: errors fail the check, warnings are only shown. */
  private void lint(String rules, String name) {
    List<Finding> findings = AuditRules.lint(rules, name, Stage.EARLY_BOOT);
    List<String> errors = findings.stream()
        .filter(f -> f.severity() == Finding.Severity.ERROR)
        .map(Finding::toString)
        .toList();
    long warnings = findings.size() - errors.size();
    check(
        "rules",
        errors.isEmpty(),
        errors.isEmpty()
            ? "audit.rules passes the early-boot lint"
                + (warnings == 0 ? "" : " (" + warnings + " warnings)")
            : String.join("; ", errors));
  }

  private static boolean shParses(String script) throws IOException {
    Path f = Files.createTempFile("bootaudit-init", ".sh");
    try {
      Files.writeString(f, script);
      Process p = new ProcessBuilder("sh", "-n", f.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      Files.deleteIfExists(f);
    }
  }

  private void check(String name, boolean ok, String detail) {
    checks.add(new Verification.Check(name, ok, detail));
  }
}
