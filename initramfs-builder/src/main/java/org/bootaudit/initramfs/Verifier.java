package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bootaudit.rules.AuditRules;
import org.bootaudit.rules.Finding;
import org.bootaudit.rules.Stage;

/** The checks behind {@link Injector#verify}. */
final class Verifier {
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
    String dir = Injector.DIR;
    String initTopPath = paths.canonical("scripts/init-top") + "/bootaudit";
    String dracutPath = paths.canonical(Injector.DRACUT_HOOKS) + "/" + Injector.DRACUT_HOOK;
    String unitPath = paths.canonical(Injector.UNIT_DIR) + "/" + Injector.UNIT;
    String wantsPath = paths.canonical(Injector.UNIT_DIR) + "/" + Injector.UNIT_WANTS;
    List<Entry> wanted = new ArrayList<>(paths.under(dir));
    String journald = paths.canonical(Injector.JOURNALD_DROP_IN_DIR) + "/" + Injector.JOURNALD_DROP_IN;
    for (String p : List.of("init", initTopPath, Injector.ORDER, dracutPath, unitPath, journald)) {
      paths.get(p).ifPresent(wanted::add);
    }
    Map<Entry, byte[]> data = reader.readData(image, wanted, Integer.MAX_VALUE - 8);
    String wrapper = text(data, paths.get("init"));
    String initTop = text(data, paths.get(initTopPath));
    String dracut = text(data, paths.get(dracutPath));
    String unit = text(data, paths.get(unitPath));
    String script;
    String found;
    boolean systemd = false;
    if (wrapper.contains(Injector.MARKER)) {
      script = wrapper;
      found = "/init is the bootaudit wrapper";
    } else if (initTop.contains(Injector.INIT_TOP_MARKER)
        && text(data, paths.get(Injector.ORDER)).startsWith("/scripts/init-top/bootaudit ")) {
      script = initTop;
      found = "/scripts/init-top/bootaudit runs first from ORDER (initramfs-tools)";
    } else if (dracut.contains(Injector.DRACUT_MARKER)) {
      script = dracut;
      found = "/" + dracutPath + " is the first cmdline hook (dracut)";
    } else if (unit.contains(Injector.UNIT_MARKER)) {
      script = null;
      systemd = true;
      found = "/" + unitPath + " is a unit (systemd)";
    } else {
      script = null;
      found = null;
    }
    check("hook", found != null, found != null ? found
        : "no bootaudit hook (wrapper /init, init-top script, dracut cmdline hook or systemd unit): this image is not injected");
    if (systemd) {
      boolean wants = paths.get(wantsPath).filter(e -> e.kind() == Entry.Kind.SYMLINK).isPresent()
          && paths.resolve(wantsPath).map(e -> e.path().equals(unitPath)).orElse(false);
      boolean init = Injector.systemdInit(paths);
      check("unit", wants && init, !init ? "/init is not systemd: the unit would never run"
          : wants ? "/" + wantsPath + " links to it, so sysinit.target starts it"
          : "/" + wantsPath + " is missing or does not link to the unit: nothing starts it");
    } else {
      check("sh -n", script != null && shParses(script), script != null ? "the hook parses with sh -n" : "no hook to parse");
    }
    if (found != null && found.startsWith("/init is")) {
      Optional<Entry> orig = paths.get("init.orig");
      boolean origOk = orig.isPresent() && (orig.get().kind() != Entry.Kind.SYMLINK || paths.resolve("init.orig").isPresent());
      check("init.orig", origOk, orig.isEmpty() ? "/init.orig is missing"
          : origOk ? "/init.orig is present" : "/init.orig -> " + orig.get().linkTarget() + " points to nothing in the image");
    }
    if (!systemd) {
      check("/bin/sh", paths.resolve("bin/sh").isPresent(), paths.resolve("bin/sh").isPresent()
          ? "/bin/sh is present" : "/bin/sh is missing: the hook cannot run");
    }
    if (paths.resolve("usr/lib/systemd/systemd-journald").isPresent() || paths.resolve("lib/systemd/systemd-journald").isPresent()) {
      String dropIn = paths.canonical(Injector.JOURNALD_DROP_IN_DIR) + "/" + Injector.JOURNALD_DROP_IN;
      boolean kept = text(data, paths.get(dropIn)).contains("\nAudit=yes");
      check("journald", kept, kept ? "/" + dropIn + " keeps journald from switching auditing off"
          : "/" + dropIn + " is missing: systemd-journald (Audit=no on Debian) switches auditing off when it starts");
    }
    Optional<Entry> ctl = paths.get(dir + "/auditctl");
    if (ctl.isEmpty()) {
      check("auditctl", false, "/" + dir + "/auditctl is missing");
    } else {
      libraries(Elf.parse(data.get(ctl.get()), "/" + dir + "/auditctl"), data);
    }
    Optional<Entry> rules = paths.get(dir + "/audit.rules");
    if (rules.isEmpty()) {
      check("rules", false, "/" + dir + "/audit.rules is missing");
    } else {
      lint(new String(data.get(rules.get()), StandardCharsets.UTF_8));
    }
    return new Verification(checks);
  }

  private String text(Map<Entry, byte[]> data, Optional<Entry> e) {
    return e.filter(x -> x.kind() == Entry.Kind.FILE).map(x -> data.get(x))
        .map(b -> new String(b, StandardCharsets.ISO_8859_1)).orElse("");
  }

  private void libraries(Elf auditctl, Map<Entry, byte[]> data) throws IOException {
    String lib = Injector.DIR + "/lib/";
    check("auditctl", true, "/" + Injector.DIR + "/auditctl is " + auditctl.arch());
    if (auditctl.interpreter().isPresent()) {
      String name = Path.of(auditctl.interpreter().get()).getFileName().toString();
      check("loader", paths.get(lib + name).isPresent(), "/" + lib + name + (paths.get(lib + name).isPresent() ? " is present" : " is missing"));
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
          todo.add(Elf.parse(data.get(e.get()), "/" + lib + needed));
        }
      }
    }
    check("libraries", missing.isEmpty(), missing.isEmpty()
        ? seen.size() + " libraries present in /" + lib : "missing from /" + lib + ": " + String.join(", ", missing));
  }

  /** The rules module's early-boot lint: errors fail the check, warnings are only shown. */
  private void lint(String rules) {
    List<Finding> findings = AuditRules.lint(rules, "/" + Injector.DIR + "/audit.rules", Stage.EARLY_BOOT);
    List<String> errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).map(Finding::toString).toList();
    long warnings = findings.size() - errors.size();
    check("rules", errors.isEmpty(), errors.isEmpty()
        ? "audit.rules passes the early-boot lint" + (warnings == 0 ? "" : " (" + warnings + " warnings)")
        : String.join("; ", errors));
  }

  private static boolean shParses(String script) throws IOException {
    Path f = Files.createTempFile("bootaudit-init", ".sh");
    try {
      Files.writeString(f, script);
      Process p = new ProcessBuilder("sh", "-n", f.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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
