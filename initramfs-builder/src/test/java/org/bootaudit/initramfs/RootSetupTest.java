package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bootaudit.core.SourceLocation;
import org.bootaudit.rules.AuditRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The target-root writer as a library user calls it; the command's output is in cli's EnableCommandTest. */
class RootSetupTest {
  @TempDir
  Path root;

  private List<RootChange> enable(RootSetup setup) throws IOException {
    List<RootChange> changes = new ArrayList<>();
    setup.enable(changes::add);
    return changes;
  }

  @Test
  void aDryRunSaysEveryChangeAndWritesNothing() throws IOException {
    Files.createDirectories(root.resolve("usr/lib/dracut/modules.d"));
    List<RootChange> planned = enable(Initramfs.rootSetup(root).dryRun(true));
    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.filter(Files::isRegularFile)).isEmpty();
    }
    List<RootChange> made = enable(Initramfs.rootSetup(root));
    assertThat(planned).allMatch(RootChange::dryRun);
    assertThat(made)
        .extracting(RootChange::kind)
        .isEqualTo(planned.stream().map(RootChange::kind).toList());
    assertThat(made)
        .extracting(RootChange::text)
        .isEqualTo(planned.stream()
            .map(c -> c.text()
                .replaceFirst("^would write", "wrote")
                .replaceFirst("^would make directory", "made directory"))
            .toList());
    assertThat(made)
        .filteredOn(c -> c.kind() == RootChange.Kind.WROTE)
        .extracting(RootChange::text)
        .anyMatch(
            t -> t.startsWith("wrote " + root.resolve(Layout.DRACUT_MODULE + "/module-setup.sh")));
  }

  @Test
  void theRootGetsTheSameBytesAsTheHooksAndTheRulesWithoutDeleteOrBacklog() throws IOException {
    enable(Initramfs.rootSetup(root));
    String profile = AuditRules.profileText("early-boot").orElseThrow();
    assertThat(Files.readString(root.resolve(RootSetup.RULES_FILE)))
        .isEqualTo(RootSetup.forRoot(profile))
        .doesNotContain("\n-D\n")
        .doesNotContainPattern("(?m)^-b ");
    for (RootFile f : Initramfs.injector().rulesText(profile).initramfsToolsHookFiles()) {
      assertThat(root.resolve(f.path())).hasBinaryContent(f.data());
    }
  }

  @Test
  void filesTheInjectorWroteAreEnablesOwnAndDisableUndoesThem() throws IOException {
    Files.createDirectories(root.resolve("usr/lib/dracut/modules.d"));
    Initramfs.injector().writeDracutModule(root);
    List<RootChange> changes = enable(Initramfs.rootSetup(root));
    assertThat(changes)
        .filteredOn(c -> c.text().contains("99bootaudit/"))
        .isNotEmpty()
        .allMatch(c -> c.kind() == RootChange.Kind.UNCHANGED);
    assertThat(root.resolve(Layout.BACKUPS))
        .as("nothing of another's was replaced")
        .doesNotExist();
    List<RootChange> undone = new ArrayList<>();
    Initramfs.rootSetup(root).disable(undone::add);
    assertThat(root.resolve(Layout.DRACUT_MODULE)).doesNotExist();
    assertThat(root.resolve(RootSetup.MANIFEST)).doesNotExist();
    assertThat(undone)
        .extracting(RootChange::kind)
        .contains(RootChange.Kind.REMOVED, RootChange.Kind.NOTE);
  }

  @Test
  void kernelArgumentsTheInjectorAppliedAreUndoneByDisable() throws IOException {
    Path grub = root.resolve("etc/default/grub");
    Files.createDirectories(grub.getParent());
    Files.writeString(grub, "GRUB_CMDLINE_LINUX=\"quiet\"\n");
    assertThat(Injector.applyKernelArguments(root))
        .singleElement()
        .extracting(KernelCommandLine::changed)
        .isEqualTo(true);
    assertThat(grub).content().contains("audit=1");
    Initramfs.rootSetup(root).disable(c -> {});
    assertThat(grub).hasContent("GRUB_CMDLINE_LINUX=\"quiet\"\n");
    assertThat(root.resolve("etc/default/grub.bootaudit-backup")).doesNotExist();
  }

  @Test
  void rulesWithAnErrorForEarlyBootAreRefusedBeforeAnythingIsWritten() throws IOException {
    Path rules = Files.writeString(root.resolve("bad.rules"), "-e 2\n");
    Path target = Files.createDirectory(root.resolve("target"));
    assertThatThrownBy(() -> enable(Initramfs.rootSetup(target).rules(rules)))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageStartingWith(rules + ":1:")
        .hasMessageContaining("nothing written");
    try (Stream<Path> all = Files.walk(target)) {
      assertThat(all).containsExactly(target);
    }
  }

  @Test
  void aDamagedManifestIsRefusedWithFileLineAndColumn() throws IOException {
    Path manifest = root.resolve(RootSetup.MANIFEST);
    Files.createDirectories(manifest.getParent());
    Files.writeString(
        manifest,
        "# header\nedited\tetc/default/grub\t../../x\tsha256:" + "0".repeat(64) + "\n",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Initramfs.rootSetup(root).disable(c -> {}))
        .isInstanceOfSatisfying(ManifestFormatException.class, e -> {
          assertThat(e.location()).isEqualTo(new SourceLocation(manifest.toString(), 2, 25));
          assertThat(e.problem()).isEqualTo("expected a path inside the root, found '../../x'");
        });
  }
}
