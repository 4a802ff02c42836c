package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bootaudit.initramfs.Injector.Generator;
import org.bootaudit.initramfs.Injector.Mode;

/**
 * One run of {@link Injector#inject}: reads the image once, {@link #check}s that the chosen mode
 * can work on it (refusing with the reason before anything is written), then {@link #install}s
 * the shared files and the mode's hook and writes the image. The layout is {@link Injector}'s.
 */
final class Injection {
  private final Path image;
  private final Reader reader;
  private final Path auditctl;
  private final byte[] rules;
  private final long backlog;
  private final List<String> warnings;
  /** The head of every file (to tell /bin/sh's architecture) and all of /init and ORDER. */
  private final Map<Entry, byte[]> data = new IdentityHashMap<>();

  private final Image in;
  private final ImagePaths paths;
  private final Generator generator;
  private final Mode mode;
  private Entry init;
  private Optional<Entry> sh = Optional.empty();
  private HostLibraries libs;

  Injection(
      Path image,
      Reader reader,
      Mode mode,
      Path auditctl,
      byte[] rules,
      long backlog,
      List<String> warnings)
      throws IOException {
    this.image = image;
    this.reader = reader;
    this.auditctl = auditctl;
    this.rules = rules;
    this.backlog = backlog;
    this.warnings = new ArrayList<>(warnings);
    long[] held = {0};
    this.in = reader.scan(image, (segment, e, content) -> {
      if (e.kind() == Entry.Kind.FILE) {
        boolean whole = e.path().equals(Layout.INIT) || e.path().equals(Layout.ORDER);
        if (whole) {
          data.put(e, reader.buffer(e, content, e.size(), held[0]));
          held[0] += e.size();
        } else {
          data.put(e, content.readNBytes(20));
        }
      }
    });
    this.paths = new ImagePaths(in);
    this.generator = Injector.detect(in);
    this.mode = mode == Mode.AUTO ? Mode.WRAP : mode;
  }

  // -- check: refuse before anything is written

  /** Refuses an image the chosen mode cannot work on, with the reason and what to do. */
  void check() throws IOException {
    refuseInjected();
    init = paths
        .get(Layout.INIT)
        .orElseThrow(
            () -> refused("has no /init, so the kernel would not run one; nothing to hook into"));
    if (init.kind() != Entry.Kind.FILE && init.kind() != Entry.Kind.SYMLINK) {
      throw refused("/init is a " + init.kind() + ", not a file or symlink");
    }
    switch (mode) {
      case INITRAMFS_TOOLS -> checkInitramfsTools();
      case DRACUT -> checkDracut();
      case SYSTEMD -> checkSystemd();
      default -> checkWrap();
    }
    sh = paths.resolve("bin/sh");
    if (sh.isEmpty() && mode != Mode.SYSTEMD) {
      throw refused("has no /bin/sh to run the " + (mode == Mode.WRAP ? "wrapper" : "hook"));
    }
    checkArchitecture();
  }

  private void refuseInjected() throws InjectionRefusedException {
    if (paths.get(Layout.INIT_ORIG).isPresent() || paths.get(Layout.DIR).isPresent()) {
      throw refused("already injected (/" + Layout.INIT_ORIG + " or /" + Layout.DIR + " exists)");
    }
    for (String hook : List.of(
        dracutHookPath(),
        paths.canonical(Layout.UNIT_DIR) + "/" + Layout.UNIT,
        paths.canonical("usr/lib/systemd/system") + "/" + Layout.UNIT)) {
      if (paths.get(hook).isPresent()) {
        throw refused("already starts auditing (/" + hook
            + ", from bootaudit's dracut module or an injection); the" + " rules would load twice");
      }
    }
  }

  private void checkInitramfsTools() throws InjectionRefusedException {
    if (generator != Generator.INITRAMFS_TOOLS) {
      throw refused("is not an initramfs-tools image (it looks like " + generatorName()
          + "); use the wrap mode");
    }
    if (paths.get(Layout.ORDER).filter(e -> e.kind() == Entry.Kind.FILE).isEmpty()) {
      throw refused("has no /" + Layout.ORDER + " to run the hook from");
    }
  }

  private void checkDracut() throws InjectionRefusedException {
    if (paths
        .get(paths.canonical(Layout.DRACUT_HOOKS) + "/cmdline")
        .filter(e -> e.kind() == Entry.Kind.DIRECTORY)
        .isEmpty()) {
      throw refused(
          "has no /" + Layout.DRACUT_HOOKS + "/cmdline, so it is not a dracut image (it looks like "
              + generatorName() + "); use the wrap mode");
    }
  }

  private void checkSystemd() throws InjectionRefusedException {
    if (!Injector.systemdInit(paths)) {
      throw refused("/init is not systemd, so no unit would run (it looks like " + generatorName()
          + "); use the wrap mode");
    }
  }

  private void checkWrap() throws InjectionRefusedException {
    Entry initData = paths.dataHolder(init);
    if (init.kind() == Entry.Kind.FILE && initData.size() > Layout.MAX_INIT) {
      throw refused("/init is larger than " + Layout.MAX_INIT + " bytes; not a script or init");
    }
  }

  /** The shipped auditctl must run on the image's machine: told from /bin/sh (or /init) when ELF. */
  private void checkArchitecture() throws IOException {
    libs = HostLibraries.of(auditctl);
    String probeName = sh.isPresent() ? "bin/sh" : "init";
    Optional<Entry> probe = sh.or(() -> paths.resolve("init"));
    byte[] head =
        probe.map(e -> data.getOrDefault(paths.dataHolder(e), new byte[0])).orElse(new byte[0]);
    if (!Elf.isElf(head)) {
      warnings.add("cannot tell the image's architecture (/" + probeName + " is not ELF); assuming "
          + libs.executable().arch());
      return;
    }
    String imageArch = Elf.archOf(head);
    if (!imageArch.equals(libs.executable().arch())) {
      throw new InjectionRefusedException(String.format(
          "%s: its /%s is %s but %s is %s; pass --auditctl built for the" + " image's architecture",
          image, probeName, imageArch, auditctl, libs.executable().arch()));
    }
  }

  // -- install: new names in a segment before the image's own, replacements in one after

  /** Writes the image with the hook to {@code out}; {@link #check} has passed. */
  InjectResult install(Path out, boolean inPlace) throws IOException {
    boolean compressed = in.segments().stream().anyMatch(s -> s.compression() != Compression.NONE);
    NewcWriter first = new NewcWriter(init.mtime());
    NewcWriter replacing = compressed ? new NewcWriter(init.mtime()) : first;
    List<String> added = new ArrayList<>();
    String loader = installShared(first, added);
    boolean replaces = switch (mode) {
      case INITRAMFS_TOOLS -> installInitramfsTools(first, replacing, added, loader);
      case DRACUT -> installDracut(first, added, loader);
      case SYSTEMD -> installSystemd(first, added, loader);
      default -> installWrap(first, replacing, added, loader);
    };
    installJournaldDropIn(first, added);
    byte[] appended = new byte[0];
    long insertAt = in.size();
    if (compressed) {
      insertAt = in.segments().stream()
          .filter(s -> s.compression() != Compression.NONE)
          .findFirst()
          .orElseThrow()
          .offset();
      if (replaces) {
        appended = encodeLikeLast(replacing.finish());
      }
    }
    long shift = ImageWriter.write(in, insertAt, first.finish(), appended, out, inPlace);
    return readBack(out, insertAt, shift, added);
  }

  /** auditctl, its loader and libraries, the rules; returns the loader's name ("" if static). */
  private String installShared(NewcWriter first, List<String> added) throws IOException {
    first.dir(Layout.DIR, 0755).dir(Layout.LIB, 0755);
    added.add(Layout.AUDITCTL);
    first.file(Layout.AUDITCTL, 0755, Files.readAllBytes(auditctl));
    String loader = "";
    if (libs.loader().isPresent()) {
      loader = libs.loader().get().getFileName().toString();
      first.file(
          Layout.LIB + "/" + loader, 0755, Files.readAllBytes(libs.loader().get()));
      added.add(Layout.LIB + "/" + loader);
    }
    for (Map.Entry<String, Path> lib : libs.libraries().entrySet()) {
      if (!lib.getKey().equals(loader)) {
        first.file(Layout.LIB + "/" + lib.getKey(), 0755, Files.readAllBytes(lib.getValue()));
        added.add(Layout.LIB + "/" + lib.getKey());
      }
    }
    first.file(Layout.RULES, 0644, rules);
    added.add(Layout.RULES);
    return loader;
  }

  private boolean installInitramfsTools(
      NewcWriter first, NewcWriter replacing, List<String> added, String loader)
      throws IOException {
    Entry order = paths.get(Layout.ORDER).orElseThrow();
    String original = new String(data.get(paths.dataHolder(order)), StandardCharsets.ISO_8859_1);
    String script = paths.canonical(Layout.INIT_TOP_DIR) + "/bootaudit";
    parents(first, script);
    first.file(script, 0755, utf8(Hooks.initTop(loader, backlog)));
    replacing.file(
        Layout.ORDER,
        order.mode() & 07777,
        (Layout.ORDER_LINE + original).getBytes(StandardCharsets.ISO_8859_1));
    added.add(script);
    added.add(Layout.ORDER);
    return true;
  }

  private boolean installDracut(NewcWriter first, List<String> added, String loader)
      throws IOException {
    String hook = dracutHookPath();
    parents(first, hook);
    first.file(hook, 0644, utf8(Hooks.dracutHook(loader, backlog)));
    added.add(hook);
    return false;
  }

  private boolean installSystemd(NewcWriter first, List<String> added, String loader)
      throws IOException {
    String dir = paths.canonical(Layout.UNIT_DIR);
    String wants = dir + "/" + Layout.UNIT_WANTS;
    parents(first, wants);
    first.file(dir + "/" + Layout.UNIT, 0644, utf8(Hooks.unit(loader, backlog)));
    first.symlink(wants, "../" + Layout.UNIT);
    added.add(dir + "/" + Layout.UNIT);
    added.add(wants);
    return false;
  }

  /** /init.orig (a symlink stays a symlink) first, the wrapper /init last. */
  private boolean installWrap(
      NewcWriter first, NewcWriter replacing, List<String> added, String loader)
      throws IOException {
    Entry initData = paths.dataHolder(init);
    if (init.kind() == Entry.Kind.SYMLINK) {
      first.symlink(Layout.INIT_ORIG, init.linkTarget());
    } else {
      byte[] original = initData.path().equals(Layout.INIT)
          ? data.get(initData)
          : reader.readData(in, initData, Layout.MAX_INIT);
      first.file(Layout.INIT_ORIG, init.mode() & 07777, original);
    }
    added.add(Layout.INIT_ORIG);
    replacing.file(Layout.INIT, 0755, utf8(Hooks.wrapper(loader, backlog)));
    added.add(Layout.INIT);
    return true;
  }

  /** Debian's journald turns kernel auditing off when it starts (journald.conf Audit=no). */
  private void installJournaldDropIn(NewcWriter first, List<String> added) throws IOException {
    Optional<String> dropIn = Injector.journaldDropIn(paths);
    if (dropIn.isPresent() && paths.get(dropIn.get()).isEmpty()) {
      parents(first, dropIn.get());
      first.file(dropIn.get(), 0644, utf8(Hooks.JOURNALD_CONF));
      added.add(dropIn.get());
    }
  }

  /** The replacing segment in the last segment's compression, where it can take another member. */
  private byte[] encodeLikeLast(byte[] segment) throws IOException {
    Segment last = in.segments().get(in.segments().size() - 1);
    if (Encoder.canAppend(last.compression())) {
      return Encoder.encode(last.compression(), segment);
    }
    if (last.compression() != Compression.NONE) {
      warnings.add("the last segment is " + last.compression().label()
          + ", which cannot take another member:"
          + " the replacing segment is appended uncompressed, which the kernel reads but unmkinitramfs and"
          + " lsinitramfs do not");
    }
    return segment;
  }

  /** The original bytes were copied verbatim: reads back only what was added. */
  private InjectResult readBack(Path out, long insertAt, long shift, List<String> added)
      throws IOException {
    Map<Long, Segment> known = new HashMap<>();
    for (Segment s : in.segments()) {
      known.put(s.offset() >= insertAt ? s.offset() + shift : s.offset(), s);
    }
    Image written = reader.scan(out, (segment, e, content) -> {}, known);
    List<Segment> fresh =
        written.segments().stream().filter(s -> !known.containsKey(s.offset())).toList();
    return new InjectResult(
        written, mode, generator, added, fresh, Injector.kernelArguments(backlog), warnings);
  }

  /**
   * Adds a directory entry for every parent of {@code path} (with the image's own mode where
   * it has the directory), so that a segment unpacked before the image's own has them.
   */
  private void parents(NewcWriter w, String path) throws InjectionRefusedException {
    String[] parts = path.split("/");
    StringBuilder dir = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      dir.append(i == 0 ? "" : "/").append(parts[i]);
      Optional<Entry> e = paths.get(dir.toString());
      if (e.isPresent() && e.get().kind() != Entry.Kind.DIRECTORY) {
        throw refused("/" + dir + " is a " + e.get().kind().toString().toLowerCase(Locale.ROOT)
            + " (a dangling symlink?), not a directory; cannot add /" + path);
      }
      w.dir(dir.toString(), e.map(x -> x.mode() & 07777).orElse(0755));
    }
  }

  private String dracutHookPath() {
    return paths.canonical(Layout.DRACUT_HOOKS) + "/" + Layout.DRACUT_HOOK;
  }

  private String generatorName() {
    return generator.toString().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private InjectionRefusedException refused(String why) {
    return new InjectionRefusedException(image + ": " + why);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
