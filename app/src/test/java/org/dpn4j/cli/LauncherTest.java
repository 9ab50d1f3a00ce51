package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./dpn} launcher hands the terminal to Java: its one {@code exec java} line has no pipe,
 * filter or redirection, so standard output and error arrive unchanged and in order.
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
}
