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
    List<Entry> wanted = new ArrayList<>(paths.under(dir));
    paths.get("init").ifPresent(wanted::add);
    paths.get("scripts/init-top/bootaudit").ifPresent(wanted::add);
    paths.get(Injector.ORDER).ifPresent(wanted::add);
    Map<Entry, byte[]> data = reader.readData(image, wanted, Integer.MAX_VALUE - 8);
    String wrapper = text(data, paths.get("init"));
    String initTop = text(data, paths.get("scripts/init-top/bootaudit"));
    boolean wrapped = wrapper.contains(Injector.MARKER);
    boolean ordered = initTop.contains(Injector.INIT_TOP_MARKER)
        && text(data, paths.get(Injector.ORDER)).startsWith("/scripts/init-top/bootaudit ");
    String script = wrapped ? wrapper : initTop;
    check("hook", wrapped || ordered, wrapped ? "/init is the bootaudit wrapper"
        : ordered ? "/scripts/init-top/bootaudit runs first from ORDER (initramfs-tools)"
        : "/init is not the bootaudit wrapper and no init-top hook is listed: this image is not injected");
    check("sh -n", (wrapped || ordered) && shParses(script), wrapped || ordered ? "the hook parses with sh -n" : "no hook to parse");
    if (!ordered) {
      Optional<Entry> orig = paths.get("init.orig");
      boolean origOk = orig.isPresent() && (orig.get().kind() != Entry.Kind.SYMLINK || paths.resolve("init.orig").isPresent());
      check("init.orig", origOk, orig.isEmpty() ? "/init.orig is missing"
          : origOk ? "/init.orig is present" : "/init.orig -> " + orig.get().linkTarget() + " points to nothing in the image");
    }
    check("/bin/sh", paths.resolve("bin/sh").isPresent(), paths.resolve("bin/sh").isPresent()
        ? "/bin/sh is present" : "/bin/sh is missing: the wrapper cannot run");
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

  private void lint(String rules) {
    List<String> problems = new ArrayList<>();
    int n = 0;
    for (String line : rules.split("\n")) {
      n++;
      String t = line.trim();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      if (!t.startsWith("-")) {
        problems.add(n + ": not an auditctl option");
      } else if (t.matches("-e\\s+2\\b.*")) {
        problems.add(n + ": -e 2 locks the rules for the whole boot");
      } else if (t.matches("-f\\s+2\\b.*")) {
        problems.add(n + ": -f 2 panics the kernel on a lost record");
      } else if (t.startsWith("-w ") || t.contains("path=") || t.contains("dir=")) {
        problems.add(n + ": path rules bind to initramfs inodes and stop matching after switch_root");
      }
    }
    check("rules", problems.isEmpty(), problems.isEmpty() ? "audit.rules passes the early-boot lint"
        : "audit.rules line " + String.join("; line ", problems));
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
