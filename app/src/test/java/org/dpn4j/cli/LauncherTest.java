package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./dpn} launcher hands the terminal to Java: its one {@code exec java} line has no pipe,
 * filter or redirection, so standard output and error arrive unchanged and in order; and it runs
 * Java with jemalloc keeping the pages it frees, unless told otherwise.
 */
class LauncherTest {

  @Test
  void theJavaProcessWritesStraightToTheTerminal() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("dpn"));
    int exec = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("exec java")) {
        exec = i;
      }
    }
    StringBuilder command = new StringBuilder(lines.get(exec));
    for (int i = exec; lines.get(i).endsWith("\\"); i++) {
      command.append(' ').append(lines.get(i + 1));
    }
    assertEquals(1, lines.stream().filter(l -> l.startsWith("exec java")).count(), "one exec java line");
    for (String filter : List.of("|", ">(", "2>", ">&", "grep")) {
      assertFalse(command.toString().contains(filter), filter + " in the launcher's java line: " + command);
    }
  }

  private static final String KEEP_PAGES = "dirty_decay_ms:-1,muzzy_decay_ms:-1";

  @Test
  void javaRunsWithJemallocKeepingTheFreedPages(@TempDir Path dir) throws Exception {
    String lib = jemalloc();
    Map<String, String> env = launch(dir, Map.of());
    assertEquals(lib, env.get("LD_PRELOAD"), "LD_PRELOAD");
    assertEquals(lib.isEmpty() ? "" : KEEP_PAGES, env.get("MALLOC_CONF"), "MALLOC_CONF");
  }

  @Test
  void aUsersMallocConfAndOptOutAreKept(@TempDir Path dir) throws Exception {
    String lib = jemalloc();
    Map<String, String> own = launch(dir, Map.of("MALLOC_CONF", "narenas:1"));
    assertEquals(lib, own.get("LD_PRELOAD"));
    assertEquals("narenas:1", own.get("MALLOC_CONF"));
    Map<String, String> off = launch(dir, Map.of("DPN_NO_JEMALLOC", "1"));
    assertEquals("", off.get("LD_PRELOAD"));
    assertEquals("", off.get("MALLOC_CONF"));
  }

  /** The jemalloc the launcher finds here, or "" (CI installs it, so both branches are the launcher's). */
  private static String jemalloc() {
    for (String lib : List.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "/usr/lib/libjemalloc.so.2")) {
      if (Files.isRegularFile(Path.of(lib))) {
        return lib;
      }
    }
    return "";
  }

  /**
   * Runs a copy of the launcher beside an up-to-date (empty) jar, with a {@code java} first on the
   * PATH that prints the two variables instead of starting a JVM.
   */
  private static Map<String, String> launch(Path dir, Map<String, String> extra) throws Exception {
    Files.copy(Path.of("dpn"), dir.resolve("dpn"), StandardCopyOption.REPLACE_EXISTING);
    Files.createDirectories(dir.resolve("app/target"));
    Files.write(dir.resolve("app/target/dpn4j.jar"), new byte[0]);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"LD_PRELOAD=$LD_PRELOAD\"\necho \"MALLOC_CONF=$MALLOC_CONF\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder builder = new ProcessBuilder("bash", dir.resolve("dpn").toString(), "segment");
    builder.environment().remove("LD_PRELOAD");
    builder.environment().remove("MALLOC_CONF");
    builder.environment().remove("DPN_NO_JEMALLOC");
    builder.environment().putAll(extra);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process process = builder.redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), out);
    Map<String, String> env = new HashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }
}
